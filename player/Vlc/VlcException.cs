using System.Runtime.InteropServices;

namespace AmvScreening.Player.Vlc;

/// <summary>A libvlc call failed; the message carries libvlc's own (libvlc_errmsg) when it left one.</summary>
public sealed class VlcException(string message) : Exception(message)
{
    /// <summary>"<paramref name="what"/> failed: libvlc's last error message. <paramref name="hint"/>" (libvlc keeps
    /// the message per thread, so call this on the thread of the failed call).</summary>
    internal static VlcException FromLastError(string what, string? hint = null)
    {
        var message = Marshal.PtrToStringUTF8(LibVlcNative.libvlc_errmsg());
        var failed = string.IsNullOrEmpty(message) ? $"{what} failed." : $"{what} failed: {message}.";
        return new VlcException(hint is null ? failed : $"{failed} {hint}");
    }
}
