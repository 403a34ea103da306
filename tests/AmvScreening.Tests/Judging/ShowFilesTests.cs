using AmvScreening.Server.Judging;

namespace AmvScreening.Tests.Judging;

/// <summary>Where a promoted finalist's file goes for the player: named in place when it is inside the media folder, a
/// hard link when it is outside on the same file system, a copy across file systems; always the same bytes.</summary>
public sealed class ShowFilesTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("amv-show-files-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public void AFileInsideTheMediaFolder_IsNamedRelativeToIt()
    {
        var file = Write(Path.Combine(_data, "media", "entries", "7", "u1.mp4"));
        Assert.Equal("entries/7/u1.mp4", ShowFiles.Place(file, Path.Combine(_data, "media"), 7));
    }

    [Fact]
    public void AFileOutsideTheMediaFolder_IsHardLinkedIntoIt_OnTheSameFileSystem()
    {
        var file = Write(Path.Combine(_data, "entries", "7", "u1.mp4"));
        var media = Path.Combine(_data, "media");

        var relative = ShowFiles.Place(file, media, 7);

        Assert.Equal("entries/7/u1.mp4", relative);
        var placed = Path.Combine(media, relative);
        Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(placed));
        // A hard link: a change through one name is seen through the other.
        File.AppendAllText(file, "more");
        Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(placed));
    }

    [Fact]
    public void AFileOnAnotherFileSystem_IsCopied()
    {
        // /dev/shm is a tmpfs: a hard link from the temporary folder's file system cannot be made there.
        var media = Directory.CreateDirectory(Path.Combine("/dev/shm", $"amv-media-{Guid.NewGuid():N}")).FullName;
        try
        {
            var file = Write(Path.Combine(_data, "entries", "8", "u2.mkv"));
            var relative = ShowFiles.Place(file, media, 8);
            var placed = Path.Combine(media, relative);
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(placed));
            Assert.False(File.Exists(placed + ".part"));
        }
        finally
        {
            Directory.Delete(media, recursive: true);
        }
    }

    private static string Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))]);
        return path;
    }
}
