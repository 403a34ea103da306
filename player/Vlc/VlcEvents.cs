using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace AmvScreening.Player.Vlc;

/// <summary>The libvlc_event_e values (libvlc 3) the player listens to.</summary>
internal enum VlcEventType
{
    MediaParsedChanged = 3,
    MediaPlayerOpening = 258,
    MediaPlayerPlaying = 260,
    MediaPlayerPaused = 261,
    MediaPlayerStopped = 262,
    MediaPlayerEndReached = 265,
    MediaPlayerEncounteredError = 266,
    MediaPlayerLengthChanged = 273,
    /// <summary>The number of video outputs changed: the first one means a picture reached the screen.</summary>
    MediaPlayerVout = 274,
}

/// <summary>
/// Forwards some events of one libvlc event manager into a channel, and does nothing else: the callback runs on a
/// libvlc thread holding libvlc's locks, so it must not call libvlc (that deadlocks). Readers act on the events on
/// their own threads. Dispose detaches (after which libvlc never calls back) and only then frees the handle.
/// </summary>
internal sealed unsafe class EventSubscription : IDisposable
{
    private readonly SafeHandle _owner;
    private readonly nint _eventManager;
    private readonly ChannelWriter<VlcEventType> _writer;
    private readonly List<VlcEventType> _attached = [];
    private GCHandle _self;

    /// <param name="owner">The media or player the event manager belongs to: kept alive until detached.</param>
    public EventSubscription(SafeHandle owner, nint eventManager, ChannelWriter<VlcEventType> writer, IEnumerable<VlcEventType> types)
    {
        var addedRef = false;
        owner.DangerousAddRef(ref addedRef);
        _owner = owner;
        _eventManager = eventManager;
        _writer = writer;
        _self = GCHandle.Alloc(this);
        foreach (var type in types)
        {
            if (LibVlcNative.libvlc_event_attach(_eventManager, (int)type, &OnEvent, GCHandle.ToIntPtr(_self)) != 0)
            {
                Dispose();
                throw VlcException.FromLastError($"Listening to libvlc event {type}");
            }

            _attached.Add(type);
        }
    }

    public void Dispose()
    {
        if (!_self.IsAllocated)
        {
            return;
        }

        foreach (var type in _attached)
        {
            LibVlcNative.libvlc_event_detach(_eventManager, (int)type, &OnEvent, GCHandle.ToIntPtr(_self));
        }

        _attached.Clear();
        _self.Free();
        _owner.DangerousRelease();
    }

    /// <summary>The one trampoline for every subscription: the user data is the subscription's GCHandle.</summary>
    [UnmanagedCallersOnly]
    private static void OnEvent(LibVlcNative.NativeEvent* e, nint userData)
    {
        if (GCHandle.FromIntPtr(userData).Target is EventSubscription subscription)
        {
            subscription._writer.TryWrite((VlcEventType)e->Type);
        }
    }
}
