using System.Text;

namespace AmvScreening.Server.Uploads;

/// <summary>
/// Recognises a video container by the first bytes of a file (its "magic"), never by the name the client gave it. The
/// stored file's extension comes from here. Whether the video inside plays, and for how long, is the pre-flight
/// check's business (docs/preflight.md); this only keeps files that are no video at all (a document, an image, an
/// archive, an executable) off the disk.
/// </summary>
public static class VideoSniffer
{
    /// <summary>How many first bytes are looked at (or the whole file, when it is shorter).</summary>
    public const int HeadBytes = 1024;

    public const string Rule =
        "The file must be a video: MP4, MOV, Matroska (MKV), WebM, AVI, MPEG-TS, MPEG-PS, FLV, WMV/ASF, Ogg or RealMedia.";

    /// <summary>A recognised container: its name and the extension the stored file gets.</summary>
    public sealed record Container(string Name, string Extension);

    private static readonly string[] QuickTimeAtoms = ["moov", "mdat", "wide", "free", "skip", "pnot"];

    private static ReadOnlySpan<byte> Ebml => [0x1A, 0x45, 0xDF, 0xA3];

    private static ReadOnlySpan<byte> Asf => [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C];

    /// <summary>The container <paramref name="head"/> (the first <see cref="HeadBytes"/> of a file) starts, or null.</summary>
    public static Container? Recognize(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && Ascii(head, 4, "ftyp"))
        {
            return Ascii(head, 8, "qt  ") ? new("QuickTime (MOV)", ".mov") : new("MP4", ".mp4");
        }

        // Older QuickTime files start straight with an atom: a plausible size, then its type.
        if (head.Length >= 8 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(head) >= 8)
        {
            foreach (var atom in QuickTimeAtoms)
            {
                if (Ascii(head, 4, atom))
                {
                    return new("QuickTime (MOV)", ".mov");
                }
            }
        }

        if (head.StartsWith(Ebml))
        {
            return head.IndexOf("webm"u8) >= 0 ? new("WebM", ".webm") : new("Matroska", ".mkv");
        }

        if (head.Length >= 12 && Ascii(head, 0, "RIFF") && Ascii(head, 8, "AVI "))
        {
            return new("AVI", ".avi");
        }

        // MPEG transport stream: a sync byte every 188 bytes (192 in Blu-ray's M2TS, after a 4-byte timestamp).
        if (head.Length > 376 && head[0] == 0x47 && head[188] == 0x47 && head[376] == 0x47)
        {
            return new("MPEG-TS", ".ts");
        }

        if (head.Length > 388 && head[4] == 0x47 && head[196] == 0x47 && head[388] == 0x47)
        {
            return new("MPEG-TS (M2TS)", ".m2ts");
        }

        if (head.Length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 1 && head[3] is 0xBA or 0xB3)
        {
            return new("MPEG-PS", ".mpg");
        }

        if (head.Length >= 4 && Ascii(head, 0, "FLV") && head[3] == 1)
        {
            return new("FLV", ".flv");
        }

        if (head.StartsWith(Asf))
        {
            return new("WMV/ASF", ".wmv");
        }

        if (Ascii(head, 0, "OggS"))
        {
            return new("Ogg", ".ogv");
        }

        if (Ascii(head, 0, ".RMF"))
        {
            return new("RealMedia", ".rm");
        }

        return null;
    }

    private static bool Ascii(ReadOnlySpan<byte> head, int at, string text) =>
        head.Length >= at + text.Length && head.Slice(at, text.Length).SequenceEqual(Encoding.ASCII.GetBytes(text));
}
