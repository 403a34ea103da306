using System.Net;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Uploads.TusTesting;

namespace AmvScreening.Tests.Uploads;

/// <summary>Uploads on a real file system that runs out of space (a small tmpfs): the space is checked before an
/// upload starts, counting what unfinished uploads may still send; a disk that fills during an upload refuses the
/// bytes with 503, keeps those it had, and the upload goes on once space returns.</summary>
public sealed class UploadDiskTests
{
    private const int Megabyte = 1024 * 1024;

    [Fact]
    public async Task Creation_WhenTheDiskCannotHoldTheFile_Is507_CountingWhatOtherUploadsStillNeed()
    {
        await using var disk = await SmallDisk.MountAsync(megabytes: 96);
        using var server = new AmvServer(dataDirectory: disk.Path);
        using var http = server.CreateAnonymousClient();
        var first = await SubmitAsync(server, "First");
        var second = await SubmitAsync(server, "Second");

        // 96 MB: room for 40 MB and the 32 MB kept spare; not for another 40 MB while the first may still come.
        var url = await CreatedAsync(http, 40 * Megabyte, first.Secret);
        var refused = await CreateAsync(http, 40 * Megabyte, second.Secret);
        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        var problem = await ProblemAsync(refused);
        Assert.Equal("insufficient-storage", problem.GetProperty("reason").GetString());
        Assert.Contains("40 MB", problem.GetProperty("detail").GetString());
        Assert.Equal(1, await QueryAsync<long>(server, "SELECT count(*) FROM uploads"));

        // A smaller file fits; and once the first upload ends, the second one does too.
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(http, 10 * Megabyte, second.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(Request(HttpMethod.Delete, url)).WaitAsync(Bound)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(http, 40 * Megabyte, second.Secret)).StatusCode);
    }

    [Fact]
    public async Task DiskFillingDuringAnUpload_Is503StorageFull_KeepsTheBytesItHad_AndTheUploadGoesOnWhenSpaceReturns()
    {
        await using var disk = await SmallDisk.MountAsync(megabytes: 96);
        using var server = new AmvServer(dataDirectory: disk.Path);
        using var http = server.CreateAnonymousClient();
        var entry = await SubmitAsync(server);
        var bytes = VideoBytes(20 * Megabyte);
        var url = await CreatedAsync(http, bytes.Length, entry.Secret);
        await SendAsync(http, url, bytes.AsSpan(0, 8 * Megabyte).ToArray());

        await disk.FillAsync();
        var refused = await PatchAsync(http, url, 8 * Megabyte, bytes.AsMemory(8 * Megabyte, 256 * 1024));
        Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, await Describe(refused));
        Assert.Equal("storage-full", (await ProblemAsync(refused)).GetProperty("reason").GetString());
        Assert.NotNull(refused.Headers.RetryAfter);

        disk.Free();
        var offset = await OffsetAsync(http, url);
        Assert.Equal(8 * Megabyte, offset);
        await SendAsync(http, url, bytes, from: offset, chunk: 4 * Megabyte);
        var file = await FileOfAsync(server, entry.Id);
        Assert.Equal(Sha256(bytes), file.FileSha256);
        Assert.Equal(bytes.Length, new FileInfo(Path.Combine(disk.Path, file.FilePath!)).Length);
    }
}
