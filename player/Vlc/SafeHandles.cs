using System.Runtime.InteropServices;

namespace AmvScreening.Player.Vlc;

// One SafeHandle per native libvlc object: released exactly once, and never while a call that uses it is running.
// Public parameterless constructors: the [LibraryImport] marshallers create them for returned pointers.

internal sealed class LibVlcHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibVlcNative.libvlc_release(handle);
        return true;
    }
}

internal sealed class MediaHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibVlcNative.libvlc_media_release(handle);
        return true;
    }
}

internal sealed class MediaPlayerHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibVlcNative.libvlc_media_player_release(handle);
        return true;
    }
}
