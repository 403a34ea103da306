using System.Text;
using AmvScreening.Server.Uploads;

namespace AmvScreening.Tests.Uploads;

/// <summary>The pure rules of uploads: the metadata header's reading and the video sniffer's refusals.</summary>
[Trait("Kind", "Unit")]
public sealed class UploadRulesTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Metadata_AsTusJsClientWritesIt_IsRead()
    {
        var (values, _, _) = UploadMetadata.Parse($"entry {B64("s3cret-Secret_123")},filename {B64("私の AMV (final).mp4")},filetype {B64("video/mp4")}");
        Assert.Equal(new UploadMetadata.Values("s3cret-Secret_123", "私の AMV (final).mp4"), values);
        Assert.NotNull(UploadMetadata.Parse($"filename {B64("a")},entry {B64("b")}").Values); // in any order
    }

    [Fact]
    public void Metadata_Malformed_IsRefusedNamingTheHeaderOrTheKey()
    {
        var count = 0;
        foreach (var header in MalformedTus.Metadata("s3cret-Secret_123", seed: 99, generated: 3000))
        {
            var (values, field, error) = UploadMetadata.Parse(header);
            Assert.True(values is null, $"'{header}' was read as {values}");
            Assert.StartsWith("Upload-Metadata", field);
            Assert.False(string.IsNullOrWhiteSpace(error));
            count++;
        }

        Assert.True(count > 3000);
    }

    [Fact]
    public void Sniffer_RefusesWhatIsNoVideo()
    {
        byte[][] notVideos =
        [
            [0x89, .. "PNG\r\n\u001a\n"u8, .. new byte[100]], [0xFF, 0xD8, 0xFF, 0xE0, .. new byte[100]], [.. "GIF89a"u8, .. new byte[100]],
            [.. "%PDF-1.7"u8, .. new byte[100]], [.. "PK\u0003\u0004"u8, .. new byte[100]], [.. "RIFF\u0000\u0000\u0000\u0000WAVEfmt "u8],
            [.. "ID3\u0004"u8, .. new byte[100]], [.. "\u007fELF"u8, .. new byte[100]], [.. "MZ"u8, .. new byte[100]], [.. "<html>"u8],
            [.. "fLaC"u8, .. new byte[100]], [], [0, 0, 0, 0x18, .. "ftyp"u8], [0, 0, 0, 0, .. "mdat"u8, .. new byte[10]],
        ];
        foreach (var bytes in notVideos)
        {
            Assert.True(VideoSniffer.Recognize(bytes) is null, Convert.ToHexString(bytes.AsSpan(0, Math.Min(12, bytes.Length))));
        }

        var random = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[VideoSniffer.HeadBytes];
            random.NextBytes(bytes);
            Assert.True(VideoSniffer.Recognize(bytes) is null || bytes[0] is 0 or 0x1A or 0x30 or 0x47 or 0x46 or 0x4F or 0x2E or 0x52,
                Convert.ToHexString(bytes.AsSpan(0, 12)));
        }
    }
}
