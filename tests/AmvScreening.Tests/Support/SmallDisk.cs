namespace AmvScreening.Tests.Support;

/// <summary>
/// A small tmpfs of its own, mounted for one test: a real file system that really runs out of space (ENOSPC), for the
/// disk-full tests. Mounting needs root, which the project's machines and CI have; elsewhere the test fails saying so.
/// </summary>
public sealed class SmallDisk : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, "filler");

    public static async Task<SmallDisk> MountAsync(int megabytes)
    {
        var path = Directory.CreateTempSubdirectory("amv-small-disk-").FullName;
        var mount = await ExternalProcess.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", path], Bound);
        if (mount.ExitCode != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException(
                $"Could not mount a {megabytes} MB tmpfs at {path} (the disk-full tests need root): {mount.StandardError.Trim()}");
        }

        return new SmallDisk(path);
    }

    /// <summary>Free bytes, as the server sees them.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Writes a file until the disk has no room left at all.</summary>
    public async Task FillAsync()
    {
        var chunk = new byte[64 * 1024];
        await using var file = new FileStream(Filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 1);
        try
        {
            while (true)
            {
                await file.WriteAsync(chunk);
            }
        }
        catch (IOException)
        {
            // No space left on the device: what was wanted. Fill the last bytes too.
        }

        try
        {
            for (var size = chunk.Length / 2; size > 0; size /= 2)
            {
                try
                {
                    await file.WriteAsync(chunk.AsMemory(0, size));
                }
                catch (IOException)
                {
                }
            }
        }
        finally
        {
            try { file.Close(); } catch (IOException) { }
        }
    }

    /// <summary>Gives the space back.</summary>
    public void Free() => File.Delete(Filler);

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await ExternalProcess.RunAsync("umount", ["--lazy", Path], Bound);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
