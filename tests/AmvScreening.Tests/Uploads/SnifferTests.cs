using AmvScreening.Server.Uploads;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Uploads;

/// <summary>The sniffer recognises real files of every container it names, as ffmpeg writes them.</summary>
public sealed class SnifferTests
{
    [Theory]
    [InlineData("mp4", "-c:v libx264 -pix_fmt yuv420p", "MP4", ".mp4")]
    [InlineData("mov", "-c:v libx264 -pix_fmt yuv420p", "QuickTime (MOV)", ".mov")]
    [InlineData("mkv", "-c:v libx264 -pix_fmt yuv420p", "Matroska", ".mkv")]
    [InlineData("webm", "-c:v libvpx -b:v 200k", "WebM", ".webm")]
    [InlineData("avi", "-c:v mpeg4", "AVI", ".avi")]
    [InlineData("ts", "-c:v mpeg2video", "MPEG-TS", ".ts")]
    [InlineData("mpg", "-c:v mpeg2video", "MPEG-PS", ".mpg")]
    [InlineData("flv", "-c:v flv", "FLV", ".flv")]
    [InlineData("wmv", "-c:v wmv2", "WMV/ASF", ".wmv")]
    [InlineData("ogv", "-c:v libtheora", "Ogg", ".ogv")]
    public async Task Sniffer_RecognisesEachContainer_AsFfmpegWritesIt(string extension, string codec, string name, string storedAs)
    {
        var folder = Directory.CreateTempSubdirectory("amv-sniff-").FullName;
        try
        {
            var path = Path.Combine(folder, "clip." + extension);
            var ffmpeg = ExternalProcess.Require("ffmpeg", "ffmpeg");
            var result = await ExternalProcess.RunAsync(ffmpeg,
                ["-v", "error", "-y", "-nostdin", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25", "-t", "1", .. codec.Split(' '), path],
                TimeSpan.FromSeconds(60));
            Assert.True(result.ExitCode == 0, result.StandardError);
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(new VideoSniffer.Container(name, storedAs), VideoSniffer.Recognize(bytes.AsSpan(0, Math.Min(VideoSniffer.HeadBytes, bytes.Length))));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
