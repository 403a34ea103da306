namespace AmvScreening.Player.Vlc;

/// <summary>A libvlc instance (libvlc_new with command-line style options such as "--vout=dummy").</summary>
internal sealed class LibVLC : IDisposable
{
    /// <summary>
    /// libvlc unloads its plugins when its last instance is released, and VLC's SVG plugin (librsvg) cannot be loaded
    /// twice in one process: the first SVG after a reload aborts the process ("Type RsvgHandle has already been
    /// registered"). This instance, never released, keeps the plugins loaded for the life of the process.
    /// </summary>
    private static readonly Lazy<LibVlcHandle> KeepPluginsLoaded = new(() => Create(["--quiet"]));

    public LibVLC(params string[] options)
    {
        LibVlcNative.EnsureLoaded();
        _ = KeepPluginsLoaded.Value;
        Handle = Create(options);
    }

    internal LibVlcHandle Handle { get; }

    public void Dispose() => Handle.Dispose();

    private static LibVlcHandle Create(string[] options)
    {
        var handle = LibVlcNative.libvlc_new(options.Length, options);
        if (handle.IsInvalid)
        {
            // libvlc_new fails on an unknown option or when VLC's plugins are missing.
            throw VlcException.FromLastError($"libvlc_new({string.Join(' ', options)})", LibVlcNative.InstallHint);
        }

        return handle;
    }
}
