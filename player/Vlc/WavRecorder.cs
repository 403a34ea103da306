using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AmvScreening.Player.Vlc;

/// <summary>
/// Records what the player would send to the sound card into one WAV file for the whole show (<c>--audio-out</c>):
/// libvlc hands every decoded buffer to <see cref="OnPlay"/> (its audio callbacks, 48 kHz stereo 16-bit), and the
/// recorder writes it on the show's timeline: where nothing plays (a slate, a pause, a blackout) it writes silence, so
/// a second into the file is a second into the show. libvlc's own file output cannot do this: it starts its file
/// afresh with every item.
/// </summary>
/// <remarks>The master volume and mute (<see cref="SetVolume"/>) are applied here, as a sound card's output would.
/// The WAV header's sizes are brought up to date every second and at the end, so a recording cut short by a
/// crash still opens. The callback runs on libvlc's audio thread and only writes the file: it never calls libvlc.</remarks>
internal sealed unsafe class WavRecorder : IDisposable
{
    public const int Rate = 48_000;
    public const int Channels = 2;
    private const int BytesPerFrame = Channels * sizeof(short);
    private const int HeaderBytes = 44;

    /// <summary>Silence is written only for gaps longer than this: libvlc hands sound over a little ahead of time.</summary>
    private static readonly long GapFrames = Rate / 5;

    private readonly Lock _lock = new();
    private readonly FileStream _file;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly byte[] _silence = new byte[BytesPerFrame * 4800];
    private float _gain = 1;
    private byte[] _scaled = [];
    private long _frames;
    private long _headerAt;
    private GCHandle _self;
    private bool _disposed;

    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written.</exception>
    public WavRecorder(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _file = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read);
        try
        {
            WriteHeader();
        }
        catch
        {
            _file.Dispose();
            throw;
        }

        _self = GCHandle.Alloc(this);
    }

    public string Path { get; }

    /// <summary>Makes <paramref name="player"/> hand its sound to this recorder, for every item from now on.</summary>
    public void Attach(MediaPlayer player)
    {
        LibVlcNative.libvlc_audio_set_format(player.Handle, "S16N", Rate, Channels);
        LibVlcNative.libvlc_audio_set_callbacks(player.Handle, &OnPlay, 0, 0, 0, 0, GCHandle.ToIntPtr(_self));
    }

    /// <summary>The master volume, applied as libvlc applies it to a sound card (percent cubed: 50 % is -18 dB; muted
    /// is silence): the recording is what the room would hear. libvlc's callbacks get the sound before its volume.</summary>
    public void SetVolume(int percent, bool muted)
    {
        lock (_lock)
        {
            _gain = muted ? 0 : MathF.Pow(percent / 100f, 3);
        }
    }

    /// <summary>Call after the player is stopped and released (libvlc calls back no more).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                PadToNowLocked();
                WriteHeader();
            }
            catch (IOException)
            {
                // A full disk at the end: what was written stays; the header may undercount.
            }

            _file.Dispose();
        }

        _self.Free();
    }

    [UnmanagedCallersOnly]
    private static void OnPlay(nint userData, nint samples, uint count, long pts)
    {
        if (GCHandle.FromIntPtr(userData).Target is WavRecorder recorder)
        {
            recorder.Write(new ReadOnlySpan<byte>((void*)samples, checked((int)count * BytesPerFrame)), count);
        }
    }

    private void Write(ReadOnlySpan<byte> pcm, uint frames)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                PadToNowLocked();
                _file.Write(_gain == 1 ? pcm : ScaledLocked(pcm));
                _frames += frames;
                if (_clock.ElapsedMilliseconds - _headerAt >= 1000)
                {
                    WriteHeader();
                }
            }
            catch (IOException)
            {
                // The recording is a by-product: a full disk must not stop the show (libvlc's thread goes on).
            }
        }
    }

    /// <summary>The 16-bit samples times the volume's gain, clipped.</summary>
    private ReadOnlySpan<byte> ScaledLocked(ReadOnlySpan<byte> pcm)
    {
        if (_scaled.Length < pcm.Length)
        {
            _scaled = new byte[pcm.Length];
        }

        var samples = MemoryMarshal.Cast<byte, short>(pcm);
        var scaled = MemoryMarshal.Cast<byte, short>(_scaled.AsSpan(0, pcm.Length));
        for (var i = 0; i < samples.Length; i++)
        {
            scaled[i] = (short)Math.Clamp(MathF.Round(samples[i] * _gain), short.MinValue, short.MaxValue);
        }

        return _scaled.AsSpan(0, pcm.Length);
    }

    /// <summary>Silence up to where the show is now, when the file is more than a gap behind.</summary>
    private void PadToNowLocked()
    {
        var due = _clock.ElapsedTicks * Rate / Stopwatch.Frequency - _frames;
        if (due <= GapFrames)
        {
            return;
        }

        while (due > 0)
        {
            var frames = (int)Math.Min(due, _silence.Length / BytesPerFrame);
            _file.Write(_silence, 0, frames * BytesPerFrame);
            _frames += frames;
            due -= frames;
        }
    }

    /// <summary>The 44-byte PCM WAV header with the sizes as written so far; the file position is kept.</summary>
    private void WriteHeader()
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        var data = (uint)Math.Min(_frames * BytesPerFrame, uint.MaxValue - HeaderBytes);
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], data + HeaderBytes - 8);
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], Rate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], Rate * BytesPerFrame);
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], BytesPerFrame);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], data);
        var at = _file.Position;
        _file.Position = 0;
        _file.Write(header);
        _file.Position = at == 0 ? HeaderBytes : at;
        _file.Flush();
        _headerAt = _clock.ElapsedMilliseconds;
    }
}
