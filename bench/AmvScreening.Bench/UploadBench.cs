using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace AmvScreening.Bench;

/// <summary>
/// An entry's video uploaded with the tus protocol over loopback (docs/benchmarks.md): a file of the contest's maximum
/// size (330 MB by default) sent in the page's chunks (8 MiB) to the server run as its own process, while the server's
/// resident memory is sampled from /proc every 20 ms. Prints the throughput, the time the server took to complete the
/// upload (SHA-256, move, the entry's UPDATE: inside the last PATCH) and the server's memory before, at its peak and
/// after; checks that the stored file's SHA-256 is the file's.
/// </summary>
internal static class UploadBench
{
    public static async Task<int> RunAsync(int megabytes, int chunkMegabytes)
    {
        var data = Directory.CreateTempSubdirectory("amv-bench-upload-").FullName;
        var source = Path.Combine(data, "..", $"amv-bench-entry-{Guid.NewGuid():N}.mp4");
        try
        {
            await using var server = await BenchServer.StartAsync(data);
            var length = (long)megabytes * 1024 * 1024;
            var chunk = chunkMegabytes * 1024 * 1024;
            var sha256 = await WriteSourceAsync(source, length);
            var secret = await SubmitAsync(Path.Combine(data, "amv.db"), megabytes);

            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
            using var memory = new MemorySampler(server.ProcessId);
            var before = memory.Sample();

            var create = Tus(HttpMethod.Post, "/api/uploads");
            create.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
            create.Headers.Add("Upload-Metadata", $"entry {B64(secret)},filename {B64("bench.mp4")}");
            var created = await http.SendAsync(create);
            if (created.StatusCode != HttpStatusCode.Created)
            {
                Console.Error.WriteLine($"Creation refused: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
                return 1;
            }

            var url = created.Headers.Location!.ToString();
            var buffer = new byte[chunk];
            await using var file = File.OpenRead(source);
            var watch = Stopwatch.StartNew();
            var lastPatch = TimeSpan.Zero;
            for (long offset = 0; offset < length; offset += chunk)
            {
                var count = (int)Math.Min(chunk, length - offset);
                await file.ReadExactlyAsync(buffer.AsMemory(0, count));
                var patch = Tus(HttpMethod.Patch, url);
                patch.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
                patch.Content = new ReadOnlyMemoryContent(buffer.AsMemory(0, count));
                patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
                var started = watch.Elapsed;
                var response = await http.SendAsync(patch);
                lastPatch = watch.Elapsed - started;
                if (response.StatusCode != HttpStatusCode.NoContent)
                {
                    Console.Error.WriteLine($"PATCH at {offset} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    return 1;
                }
            }

            var elapsed = watch.Elapsed;
            var peak = memory.Peak;
            memory.Dispose();
            var after = memory.Sample();
            var stored = await StoredShaAsync(Path.Combine(data, "amv.db"));

            Console.WriteLine($"Upload of {megabytes} MB ({length:N0} bytes) in {length / chunk + (length % chunk > 0 ? 1 : 0)} PATCH requests of {chunkMegabytes} MiB, loopback:");
            Console.WriteLine($"  time {elapsed.TotalSeconds:0.00} s · throughput {length / 1024.0 / 1024.0 / elapsed.TotalSeconds:0} MB/s " +
                $"· last PATCH (with the completion: SHA-256, move, UPDATE) {lastPatch.TotalMilliseconds:0} ms");
            Console.WriteLine($"  server memory (resident): before {Mb(before)} · peak while receiving {Mb(peak)} (+{Mb(peak - before)}) · after {Mb(after)}");
            Console.WriteLine($"  stored file's SHA-256 {(stored == sha256 ? "matches the file's" : $"DIFFERS: {stored} against {sha256}")}");
            return stored == sha256 ? 0 : 1;
        }
        finally
        {
            File.Delete(source);
            Directory.Delete(data, recursive: true);
        }
    }

    private static HttpRequestMessage Tus(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:0} MB";

    /// <summary>A file that starts as an MP4 does (the server sniffs the start) and goes on with random bytes (which
    /// no one compresses); returns its SHA-256.</summary>
    private static async Task<string> WriteSourceAsync(string path, long length)
    {
        var random = new Random(330);
        var block = new byte[4 * 1024 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = File.Create(path);
        for (long written = 0; written < length; written += block.Length)
        {
            random.NextBytes(block);
            if (written == 0)
            {
                byte[] ftyp = [0, 0, 0, 0x18, .. "ftypisom"u8, 0, 0, 2, 0, .. "isomiso2"u8];
                ftyp.CopyTo(block, 0);
            }

            var count = (int)Math.Min(block.Length, length - written);
            await file.WriteAsync(block.AsMemory(0, count));
            hash.AppendData(block, 0, count);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>An entry made straight in the database (the portal's form is not what is measured); its secret.</summary>
    private static async Task<string> SubmitAsync(string database, int megabytes)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText =
            """
            UPDATE contest SET max_file_megabytes = max(max_file_megabytes, $megabytes);
            INSERT INTO submissions (secret_hash, category_id, title, editors, contact_email, person, music_artist, music_title,
                                     premiered_on, permission_at, submitted_at)
            VALUES ($hash, (SELECT min(id) FROM categories), 'Bench', '["Editor"]', 'bench@example.org', 'bench@example.org',
                    'Artist', 'Song', '2026-01-01', '2026-11-01T00:00:00.0000000Z', '2026-11-01T00:00:00.0000000Z');
            """;
        command.Parameters.AddWithValue("$megabytes", megabytes);
        command.Parameters.AddWithValue("$hash", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))));
        await command.ExecuteNonQueryAsync();
        return secret;
    }

    private static async Task<string?> StoredShaAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT file_sha256 FROM submissions WHERE title = 'Bench'";
        return (string?)await command.ExecuteScalarAsync();
    }

    /// <summary>The resident memory (VmRSS) of a process, sampled every 20 ms on a thread of its own.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly int _pid;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long _peak;

        public MemorySampler(int pid)
        {
            _pid = pid;
            _sampling = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
                try
                {
                    do
                    {
                        var now = Sample();
                        if (now > Interlocked.Read(ref _peak))
                        {
                            Interlocked.Exchange(ref _peak, now);
                        }
                    }
                    while (await timer.WaitForNextTickAsync(_stop.Token));
                }
                catch (OperationCanceledException)
                {
                    // Stopped.
                }
            });
        }

        public long Peak => Interlocked.Read(ref _peak);

        public long Sample()
        {
            var line = File.ReadLines($"/proc/{_pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }

        public void Dispose()
        {
            if (!_stop.IsCancellationRequested)
            {
                _stop.Cancel();
                _sampling.Wait(TimeSpan.FromSeconds(5));
            }
        }
    }
}
