using System.ComponentModel.DataAnnotations;

namespace AmvScreening.Server.Entries.Checks;

/// <summary>The entries' background pre-flight queue (docs/entries.md): one file at a time, each bounded in time.</summary>
public sealed class CheckOptions
{
    /// <summary>How long one file's measurement, or its proxy, may take before ffmpeg is stopped and the entry fails
    /// with a message saying so (docs/entries.md has what a 5-minute 1080p file takes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "{0} must be between {1} and {2} (d.hh:mm:ss).")]
    public TimeSpan TimeoutPerFile { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the queue looks for newly uploaded files.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "{0} must be between {1} and {2} (hh:mm:ss).")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The height of the judges' web-playable proxy (H.264/AAC MP4); a smaller picture is kept as it is.</summary>
    [Range(240, 2160, ErrorMessage = "{0} must be a whole number from {1} to {2}.")]
    public int ProxyHeight { get; set; } = 720;
}
