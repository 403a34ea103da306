using Microsoft.Playwright;
using AmvScreening.Server.Uploads;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Uploads.TusTesting;

namespace AmvScreening.Tests.Uploads;

/// <summary>
/// The page's upload module (voter-web/src/enter/upload.js, with the npm tus-js-client) in real Chromium, uploading
/// through a proxy that cuts the connection in the middle of a chunk: the upload continues from the server's offset,
/// and the server's own counters show that no more than one chunk was received twice.
/// </summary>
public sealed class UploadResumeBrowserTests(Browser browser) : IClassFixture<Browser>
{
    /// <summary>upload.js's chunk: what a cut may cost at most.</summary>
    private const int Chunk = 8 * 1024 * 1024;

    private const int FileBytes = 20 * 1024 * 1024;

    /// <summary>upload.js bundled as the pages bundle it (esbuild), exposing startUpload as AmvUpload.startUpload.</summary>
    private static readonly Lazy<Task<string>> Bundle = new(async () =>
    {
        var voterWeb = RepoPaths.Of("voter-web");
        var esbuild = Path.Combine(voterWeb, "node_modules", ".bin", "esbuild");
        Assert.True(File.Exists(esbuild) && Directory.Exists(Path.Combine(voterWeb, "node_modules", "tus-js-client")),
            "voter-web's npm packages are not installed: run `npm ci --prefix voter-web` at the repository root.");
        var output = Path.Combine(Directory.CreateTempSubdirectory("amv-upload-bundle-").FullName, "upload.js");
        var result = await ExternalProcess.RunAsync(esbuild,
            ["src/enter/upload.js", "--bundle", "--format=iife", "--global-name=AmvUpload", "--target=es2019", $"--outfile={output}", "--log-level=warning"],
            TimeSpan.FromSeconds(60), workingDirectory: voterWeb);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return await File.ReadAllTextAsync(output);
    });

    private const string StartScript = """
        ([secret]) => new Promise((resolve) => {
          const file = document.getElementById("file").files[0];
          window.upload = AmvUpload.startUpload(file, {
            entrySecret: secret,
            onProgress: (sent, total) => { window.progress = [sent, total]; },
            onRetry: () => { window.retries = (window.retries || 0) + 1; },
            onError: (message) => resolve("error: " + message),
            onSuccess: () => resolve("success"),
          });
        })
        """;

    [Fact]
    public async Task ConnectionCutMidChunk_TheUploadResumesFromTheServersOffset_ReceivingAtMostOneChunkTwice()
    {
        using var server = new AmvServer();
        await using var proxy = new CuttingProxy(server.BaseAddress);
        var (entry, bytes, filePath) = await PrepareAsync(server);
        var page = await OpenAsync(proxy, filePath);
        var uploads = server.Services.GetRequiredService<EntryUploads>();

        proxy.CutAt(Chunk + Chunk / 2 + 12_345); // in the middle of the second chunk
        var result = await page.EvaluateAsync<string>(StartScript, new[] { entry.Secret }).WaitAsync(Browser.Bound);

        Assert.Equal("success", result);
        // The connection was cut in the middle of the second PATCH's body (the proxy forwards no byte beyond that point).
        Assert.True(proxy.Cut.Task.IsCompleted, "The connection was never cut.");
        await AssertResumedAsync(server, uploads, entry, bytes);
    }

    /// <summary>A browser that says it is offline (Wi-Fi gone) does not end the upload: it says it will try again, and
    /// the upload goes through once the network is back (tus-js-client alone gives up at once while offline).</summary>
    [Fact]
    public async Task StartedWhileTheBrowserIsOffline_TheUploadKeepsTrying_AndGoesThroughWhenTheNetworkIsBack()
    {
        using var server = new AmvServer();
        await using var proxy = new CuttingProxy(server.BaseAddress);
        var (entry, bytes, filePath) = await PrepareAsync(server);
        var page = await OpenAsync(proxy, filePath);
        var uploads = server.Services.GetRequiredService<EntryUploads>();

        await page.Context.SetOfflineAsync(true);
        var result = page.EvaluateAsync<string>(StartScript, new[] { entry.Secret });
        await page.WaitForFunctionAsync("() => window.retries > 0", null, new() { Timeout = (float)Browser.Bound.TotalMilliseconds });
        Assert.Equal(0, await QueryAsync<long>(server, "SELECT count(*) FROM uploads")); // nothing reached the server
        await page.Context.SetOfflineAsync(false);

        Assert.Equal("success", await result.WaitAsync(Browser.Bound));
        await AssertResumedAsync(server, uploads, entry, bytes);
    }

    [Fact]
    public async Task Aborted_ThenStartedAgainWithTheSameFile_ContinuesFromTheServersBytes()
    {
        using var server = new AmvServer();
        await using var proxy = new CuttingProxy(server.BaseAddress);
        var (entry, bytes, filePath) = await PrepareAsync(server);
        var page = await OpenAsync(proxy, filePath);
        var uploads = server.Services.GetRequiredService<EntryUploads>();
        Assert.Equal(["startUpload"], await page.EvaluateAsync<string[]>("() => Object.keys(AmvUpload)")); // the module's one export

        var aborted = await page.EvaluateAsync<string>(
            """
            ([secret, at]) => new Promise((resolve) => {
              const file = document.getElementById("file").files[0];
              const upload = AmvUpload.startUpload(file, {
                entrySecret: secret,
                onProgress: (sent) => { if (sent >= at) { upload.abort(); resolve("aborted at " + sent); } },
                onError: (message) => resolve("error: " + message),
                onSuccess: () => resolve("success"),
              });
            })
            """,
            new object[] { entry.Secret, Chunk + Chunk / 4 }).WaitAsync(Browser.Bound);
        Assert.StartsWith("aborted", aborted);
        Assert.Null((await FileOfAsync(server, entry.Id)).FilePath);
        Assert.True(await QueryAsync<long>(server, "SELECT received FROM uploads") >= Chunk, "The first chunk is not on the server.");

        var result = await page.EvaluateAsync<string>(StartScript, new[] { entry.Secret }).WaitAsync(Browser.Bound);
        Assert.Equal("success", result);
        await AssertResumedAsync(server, uploads, entry, bytes);
    }

    [Fact]
    public async Task PageReloadedAfterACut_TheSameFileChosenAgain_ContinuesTheSameUpload()
    {
        using var server = new AmvServer();
        await using var proxy = new CuttingProxy(server.BaseAddress);
        var (entry, bytes, filePath) = await PrepareAsync(server);
        var page = await OpenAsync(proxy, filePath);
        var uploads = server.Services.GetRequiredService<EntryUploads>();

        proxy.CutAt(Chunk + 1_000_000, hold: true); // the network stays down until released
        _ = page.EvaluateAsync<string>(StartScript, new[] { entry.Secret });
        await proxy.Cut.Task.WaitAsync(Browser.Bound);

        await page.ReloadAsync();
        proxy.Release();
        await page.SetInputFilesAsync("#file", filePath);
        var result = await page.EvaluateAsync<string>(StartScript, new[] { entry.Secret }).WaitAsync(Browser.Bound);

        Assert.Equal("success", result);
        await AssertResumedAsync(server, uploads, entry, bytes);
        // Done: the fingerprint is gone, so choosing the file again would be a new upload (a replacement).
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Object.keys(localStorage).filter((k) => k.startsWith('tus::')).length"));
    }

    private static async Task<(Entry Entry, byte[] Bytes, string Path)> PrepareAsync(AmvServer server)
    {
        var entry = await SubmitAsync(server);
        var bytes = VideoBytes(FileBytes, seed: 7);
        // The entrant's file, in a folder of the test server's data folder so that it goes with it.
        var path = Path.Combine(server.DataDirectory, "entrant", "my entry.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes);
        return (entry, bytes, path);
    }

    /// <summary>A page on the proxy's origin (so its requests go through the proxy) with a file input holding the file
    /// and the upload module loaded.</summary>
    private async Task<IPage> OpenAsync(CuttingProxy proxy, string filePath)
    {
        var page = await browser.NewLaptopAsync(proxy.BaseAddress);
        var bundle = await Bundle.Value;
        await page.RouteAsync(new Uri(proxy.BaseAddress, "upload-test").ToString(), route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = """<!doctype html><html lang="en"><title>Upload</title><input type="file" id="file"><script src="/upload-test.js"></script></html>""",
        }));
        await page.RouteAsync(new Uri(proxy.BaseAddress, "upload-test.js").ToString(), route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/javascript",
            Body = bundle,
        }));
        await page.GotoAsync("/upload-test");
        await page.SetInputFilesAsync("#file", filePath);
        return page;
    }

    private static async Task AssertResumedAsync(AmvServer server, EntryUploads uploads, Entry entry, byte[] bytes)
    {
        var file = await FileOfAsync(server, entry.Id);
        Assert.Equal(Sha256(bytes), file.FileSha256);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(server.DataDirectory, file.FilePath!)));
        // One upload, continued; and the bytes received beyond the file's own are at most one chunk.
        Assert.Equal(1, await QueryAsync<long>(server, "SELECT count(*) FROM uploads"));
        var twice = uploads.BytesReceived - bytes.Length;
        Assert.InRange(twice, 0, Chunk);
    }
}
