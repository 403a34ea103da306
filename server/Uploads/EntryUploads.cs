using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using Dapper;

namespace AmvScreening.Server.Uploads;

/// <summary>
/// Resumable uploads of entries' video files: the server side of the tus 1.0.0 protocol's core with the creation,
/// termination and expiration extensions (docs/entries.md, "Uploads"). Written here by hand because no .NET tus server
/// package can be restored on this project's machines (tusdotnet is not served); it is kept to this class and
/// <see cref="UploadEndpoints"/>.
/// <para>The bytes go straight from the request to <c>{data}/uploads/{id}.part</c> through one small buffer, never held
/// in memory; the upload's row (<c>uploads</c>) keeps how many are safely on disk. When the last byte is in, the file's
/// SHA-256 is computed, the file moved to <c>{data}/entries/{submission}/{id}{ext}</c> (the extension from the sniffed
/// container, never from the client) and one UPDATE makes it the submission's file, queued for its check.</para>
/// <para>Every change to an upload happens under that upload's own lock; a request for an upload that another request
/// still holds (a PATCH whose client went away without the server noticing yet) ends that other request's connection
/// first: its client has given up on it, and what it received is kept.</para>
/// </summary>
public sealed class EntryUploads(Db db, TimeProvider clock, ILogger<EntryUploads> logger)
{
    /// <summary>The contest's size cap is in megabytes of 1,048,576 bytes, as the pre-flight counts them.</summary>
    public const long BytesPerMegabyte = 1024 * 1024;

    /// <summary>Free space kept beyond every upload's remaining bytes: room for the database, its journal and the logs.</summary>
    public const long SpareBytes = 32 * BytesPerMegabyte;

    /// <summary>An unfinished upload is forgotten (row and bytes) this long after its last PATCH.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>How long a request waits for an upload held by another request before it is answered 423 Locked.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    private const int BufferBytes = 256 * 1024;

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _creating = new(1, 1);
    private long _bytesReceived;
    private long _patchesCut;

    /// <summary>The data folder (the database's folder): uploads and entries live under it, and nowhere else.</summary>
    public string DataDirectory { get; } = Path.GetDirectoryName(db.Path)!;

    public string PartsDirectory => Path.Combine(DataDirectory, "uploads");

    /// <summary>Bytes read from PATCH bodies since the server started (a byte sent twice counts twice).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>PATCH requests whose body ended before all its bytes were in (the connection was cut, or a newer request
    /// took over).</summary>
    public long PatchesCut => Interlocked.Read(ref _patchesCut);

    public sealed record Upload(string Id, long SubmissionId, long Length, long Received, DateTimeOffset ExpiresAt, bool Complete);

    /// <summary>The contest's cap on a file, in bytes.</summary>
    public async Task<long> MaxBytesAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>("SELECT max_file_megabytes FROM contest WHERE id = 1") * BytesPerMegabyte;
    }

    /// <summary>Creates an upload of <paramref name="length"/> bytes for the entry whose private page's secret is in the
    /// metadata. Any other unfinished upload of that entry is ended: an entry has one file.</summary>
    public async Task<Outcome<Upload>> CreateAsync(long length, UploadMetadata.Values metadata, CancellationToken ct)
    {
        var secretHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(metadata.Entry)));
        await using var connection = await db.OpenAsync(ct);
        var contest = await connection.QuerySingleAsync<(long MaxMegabytes, string? Deadline)>(
            "SELECT max_file_megabytes, entry_deadline FROM contest WHERE id = 1");
        if (length > contest.MaxMegabytes * BytesPerMegabyte)
        {
            return new Refusal(StatusCodes.Status413PayloadTooLarge, "The file is too large.",
                $"The file is {Megabytes(length)}; the contest's limit is {contest.MaxMegabytes} MB.", "too-large", UploadEndpoints.UploadLength);
        }

        var submission = await connection.QuerySingleOrDefaultAsync<(long Id, string? WithdrawnAt, long? PromotedEntryId)?>(
            "SELECT id, withdrawn_at, promoted_entry_id FROM submissions WHERE secret_hash = @secretHash", new { secretHash });
        if (Refuse(submission, contest.Deadline) is { } refusal)
        {
            return refusal;
        }

        var submissionId = submission!.Value.Id;
        var now = clock.GetUtcNow();
        await _creating.WaitAsync(ct);
        try
        {
            var earlier = (await connection.QueryAsync<string>(
                "SELECT id FROM uploads WHERE submission_id = @submissionId AND completed_at IS NULL", new { submissionId })).ToList();
            foreach (var id in earlier)
            {
                await DeleteAsync(id, ct);
            }

            // Every unfinished upload may still send its remaining bytes: they are promised space too.
            var promised = await connection.ExecuteScalarAsync<long>(
                "SELECT coalesce(sum(length - received), 0) FROM uploads WHERE completed_at IS NULL AND expires_at > @now", new { now });
            Directory.CreateDirectory(PartsDirectory);
            var free = new DriveInfo(PartsDirectory).AvailableFreeSpace;
            if (free - promised - SpareBytes < length)
            {
                logger.LogWarning("Refused an upload of {Bytes} bytes: {Free} bytes free, {Promised} promised to other uploads", length, free, promised);
                return new Refusal(StatusCodes.Status507InsufficientStorage, "The server has no room for this file now.",
                    $"The server's disk cannot take {Megabytes(length)} at the moment. Nothing was sent; please try again later, " +
                    "and tell the contest's organisers if this persists.", "insufficient-storage");
            }

            var upload = new Upload(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), submissionId, length, 0,
                ExpiryFrom(now), Complete: false);
            await connection.ExecuteAsync(
                """
                INSERT INTO uploads (id, submission_id, length, received, file_name, created_at, expires_at)
                VALUES (@Id, @SubmissionId, @Length, 0, @fileName, @now, @ExpiresAt)
                """,
                new { upload.Id, upload.SubmissionId, upload.Length, fileName = metadata.FileName, now, upload.ExpiresAt });
            await File.WriteAllBytesAsync(PartPath(upload.Id), [], ct);
            return upload;
        }
        finally
        {
            _creating.Release();
        }
    }

    /// <summary>The upload and how far it is; 404 unknown, 410 expired. An upload that has every byte but was not
    /// completed (the server stopped in between) is completed now.</summary>
    public async Task<Outcome<Upload>> GetAsync(string id, CancellationToken ct)
    {
        using var lease = await EnterAsync(id, ct);
        if (lease is null)
        {
            return Locked;
        }

        await using var connection = await db.OpenAsync(ct);
        if (await FindAsync(connection, id) is not { } found)
        {
            return Outcome<Upload>.NotFound;
        }

        var upload = found.Upload with { Received = OnDisk(found.Upload) };
        return Expired(upload) ? Gone
            : !upload.Complete && upload.Received == upload.Length ? await CompleteAsync(connection, upload)
            : upload;
    }

    /// <summary>Appends the body of a PATCH at <paramref name="offset"/>; completes the upload when it is the last part.
    /// The body has been checked to hold <paramref name="count"/> bytes at most. <paramref name="abortRequest"/> ends
    /// the request's connection: a newer request for the upload does that to take it over.</summary>
    public async Task<Outcome<Upload>> AppendAsync(string id, long offset, long count, Stream body, Action abortRequest, CancellationToken ct)
    {
        using var lease = await EnterAsync(id, ct);
        if (lease is null)
        {
            return Locked;
        }

        using var takeover = lease.Token.Register(abortRequest);

        await using var connection = await db.OpenAsync(ct);
        if (await FindAsync(connection, id) is not { } found)
        {
            return Outcome<Upload>.NotFound;
        }

        var (upload, withdrawnAt, promotedEntryId, deadline) = found;

        if (upload.Complete)
        {
            return new Refusal(StatusCodes.Status403Forbidden, "The upload is complete.",
                "This upload has all its bytes already: start a new upload to replace the file.", "upload-complete");
        }

        if (Expired(upload))
        {
            return Gone;
        }

        if (Refuse((upload.SubmissionId, withdrawnAt, promotedEntryId), deadline) is { } refusal)
        {
            return refusal;
        }

        var received = OnDisk(upload);
        if (offset != received)
        {
            return Refusal.Conflict("offset-mismatch",
                $"The upload is at byte {received}, not {offset}: send the bytes from {received} on (HEAD tells the offset).",
                UploadEndpoints.UploadOffset, "Wrong offset.");
        }

        if (count > upload.Length - received)
        {
            return new Refusal(StatusCodes.Status413PayloadTooLarge, "Too many bytes.",
                $"The upload needs {upload.Length - received} more bytes; this request has {count}.", "too-many-bytes", "Content-Length");
        }

        await using (var file = new FileStream(PartPath(id), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
        {
            // Bytes past the last recorded offset are a request that was cut before it was recorded: they go.
            file.SetLength(received);
            file.Position = received;
            try
            {
                await CopyAsync(body, file, count);
            }
            finally
            {
                // What reached the disk is kept, even when the copy ended early or the disk is full (a failed write may
                // have moved the position without writing: the file's length says what is there).
                received = Math.Min(file.Position, file.Length);
                file.Flush(flushToDisk: true);
                upload = upload with { Received = received, ExpiresAt = ExpiryFrom(clock.GetUtcNow()) };
                await connection.ExecuteAsync("UPDATE uploads SET received = @Received, expires_at = @ExpiresAt WHERE id = @Id", upload);
            }

            var head = (int)Math.Min(VideoSniffer.HeadBytes, upload.Length);
            if (offset < head && received >= head && await SniffAsync(file, head) is null)
            {
                await file.DisposeAsync();
                await DeleteRowAndPartAsync(id);
                return new Refusal(StatusCodes.Status415UnsupportedMediaType, "Not a video.",
                    $"{VideoSniffer.Rule} This file starts like none of them, so it was not kept.", "not-a-video");
            }
        }

        // Not cancelled with the request: a client gone after its last byte still gets its file.
        return received == upload.Length ? await CompleteAsync(connection, upload) : upload;
    }

    /// <summary>Ends an unfinished upload: its row and its bytes are deleted (termination).</summary>
    public async Task<Outcome<bool>> TerminateAsync(string id, CancellationToken ct)
    {
        using var lease = await EnterAsync(id, ct);
        if (lease is null)
        {
            return Locked;
        }

        await using var connection = await db.OpenAsync(ct);
        if (await FindAsync(connection, id) is not { } found)
        {
            return Outcome<bool>.NotFound;
        }

        if (found.Upload.Complete)
        {
            return new Refusal(StatusCodes.Status403Forbidden, "The upload is complete.",
                "A complete upload is the entry's file: withdraw the entry or upload another file instead.", "upload-complete");
        }

        await DeleteRowAndPartAsync(id);
        return true;
    }

    /// <summary>Deletes unfinished uploads past their expiry, and files in the uploads folder that belong to no
    /// unfinished upload (left by a crash). Returns how many uploads and stray files went.</summary>
    public async Task<(int Uploads, int StrayFiles)> DeleteExpiredAsync(CancellationToken ct)
    {
        var files = Directory.Exists(PartsDirectory) ? Directory.GetFiles(PartsDirectory) : [];
        List<string> expired, unfinished;
        await using (var connection = await db.OpenAsync(ct))
        {
            var now = clock.GetUtcNow();
            expired = [.. await connection.QueryAsync<string>("SELECT id FROM uploads WHERE completed_at IS NULL AND expires_at <= @now", new { now })];
            unfinished = [.. await connection.QueryAsync<string>("SELECT id FROM uploads WHERE completed_at IS NULL")];
        }

        foreach (var id in expired)
        {
            await DeleteAsync(id, ct);
        }

        var keep = unfinished.Except(expired).Select(PartPath).ToHashSet(StringComparer.Ordinal);
        var stray = files.Where(f => !keep.Contains(f)).ToList();
        foreach (var file in stray)
        {
            File.Delete(file);
        }

        return (expired.Count, stray.Count);
    }

    /// <summary>Deletes an upload under its lock (a PATCH still running for it is stopped first).</summary>
    private async Task DeleteAsync(string id, CancellationToken ct)
    {
        using var lease = await EnterAsync(id, ct) ?? throw new TimeoutException($"Upload {id} stayed busy for {LockWait.TotalSeconds} s.");
        await DeleteRowAndPartAsync(id);
    }

    private async Task DeleteRowAndPartAsync(string id)
    {
        await using (var connection = await db.OpenAsync())
        {
            await connection.ExecuteAsync("DELETE FROM uploads WHERE id = @id", new { id });
        }

        File.Delete(PartPath(id));
        _slots.TryRemove(id, out _);
    }

    /// <summary>The last byte is in: hash, move into the entry's folder, and make it the entry's file in one UPDATE.</summary>
    private async Task<Outcome<Upload>> CompleteAsync(System.Data.Common.DbConnection connection, Upload upload)
    {
        var part = PartPath(upload.Id);
        string sha256;
        VideoSniffer.Container container;
        await using (var file = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            container = await SniffAsync(file, (int)Math.Min(VideoSniffer.HeadBytes, upload.Length))
                ?? throw new InvalidOperationException($"Upload {upload.Id} was complete without being sniffed.");
            file.Position = 0;
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
        }

        var relative = $"entries/{upload.SubmissionId.ToString(CultureInfo.InvariantCulture)}/{upload.Id}{container.Extension}";
        var final = Resolve(relative)!;
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        File.Move(part, final);
        (string? File, string? Proxy) old;
        try
        {
            await using var transaction = await connection.BeginTransactionAsync();
            old = await connection.QuerySingleAsync<(string?, string?)>(
                "SELECT file_path, proxy_path FROM submissions WHERE id = @SubmissionId", upload, transaction);
            // Not once the entry is in the show: a promotion while the last bytes were on their way wins (the show plays
            // the file it was promoted with).
            var replaced = await connection.ExecuteAsync(
                """
                UPDATE submissions
                SET file_path = @relative, file_bytes = @Length, file_sha256 = @sha256,
                    file_name = (SELECT file_name FROM uploads WHERE id = @Id),
                    check_state = 'queued', check_progress = NULL, check_report = NULL, check_message = NULL, proxy_path = NULL
                WHERE id = @SubmissionId AND promoted_entry_id IS NULL
                """,
                new { relative, upload.Length, sha256, upload.Id, upload.SubmissionId }, transaction);
            if (replaced == 0)
            {
                await transaction.RollbackAsync();
                File.Delete(final);
                await DeleteRowAndPartAsync(upload.Id);
                return Refuse((upload.SubmissionId, null, PromotedEntryId: 0), null)!;
            }

            await connection.ExecuteAsync("UPDATE uploads SET completed_at = @now WHERE id = @Id",
                new { now = clock.GetUtcNow(), upload.Id }, transaction);
            await transaction.CommitAsync();
        }
        catch
        {
            File.Move(final, part); // as it was: the client may send the last request again
            throw;
        }

        foreach (var replaced in (string?[])[old.File, old.Proxy])
        {
            if (replaced != relative && Resolve(replaced) is { } path)
            {
                File.Delete(path);
            }
        }

        logger.LogInformation("Entry {Submission} has a new file: {Bytes} bytes, {Container}", upload.SubmissionId, upload.Length, container.Name);
        return upload with { Complete = true };
    }

    /// <summary>A path from the database, relative to the data folder, as a full path; null when it is empty or would
    /// lead outside the data folder.</summary>
    private string? Resolve(string? relative)
    {
        if (string.IsNullOrEmpty(relative))
        {
            return null;
        }

        var root = Path.GetFullPath(DataDirectory) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root, StringComparison.Ordinal) ? full : null;
    }

    private string PartPath(string id) => Path.Combine(PartsDirectory, id + ".part");

    /// <summary>Copies up to <paramref name="count"/> bytes, in blocks of <see cref="BufferBytes"/>. Ends early (without
    /// an error) when the client's connection does, or a newer request takes the upload over (it ends this request's
    /// connection rather than cancelling the read, which the server would then try to finish).</summary>
    private async Task CopyAsync(Stream body, FileStream file, long count)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        long copied = 0;
        try
        {
            while (copied < count)
            {
                var filled = 0;
                var want = (int)Math.Min(buffer.Length, count - copied);
                var ended = false;
                try
                {
                    while (filled < want)
                    {
                        var read = await body.ReadAsync(buffer.AsMemory(filled, want - filled));
                        if (read == 0)
                        {
                            ended = true;
                            break;
                        }

                        filled += read;
                        Interlocked.Add(ref _bytesReceived, read);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
                {
                    ended = true;
                }

                await file.WriteAsync(buffer.AsMemory(0, filled), CancellationToken.None);
                copied += filled;
                if (ended)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (copied < count)
            {
                Interlocked.Increment(ref _patchesCut);
            }
        }
    }

    private static async Task<VideoSniffer.Container?> SniffAsync(FileStream file, int head)
    {
        var bytes = new byte[head];
        file.Position = 0;
        await file.ReadExactlyAsync(bytes);
        file.Position = file.Length;
        return VideoSniffer.Recognize(bytes);
    }

    /// <summary>An entry that takes no file now: unknown, withdrawn, promoted to the show (the show plays the file it
    /// was promoted with; the entry page offers no upload then either), or past the deadline.</summary>
    private Refusal? Refuse((long Id, string? WithdrawnAt, long? PromotedEntryId)? submission, string? deadline)
    {
        if (submission is null)
        {
            return new Refusal(StatusCodes.Status404NotFound, "No such entry.",
                "No entry has this private link: open the link you received when you submitted the entry.", "unknown-entry",
                $"{UploadMetadata.Header}.entry");
        }

        if (submission.Value.WithdrawnAt is not null)
        {
            return new Refusal(StatusCodes.Status403Forbidden, "The entry was withdrawn.",
                "This entry was withdrawn: it takes no file any more.", "withdrawn");
        }

        if (submission.Value.PromotedEntryId is not null)
        {
            return new Refusal(StatusCodes.Status403Forbidden, "The entry is a finalist in the show.",
                "This entry is a finalist in the show already: its file can no longer be replaced. Ask the contest's coordinators.", "promoted");
        }

        if (Deadline(deadline) is { } at && clock.GetUtcNow() >= at)
        {
            return new Refusal(StatusCodes.Status403Forbidden, "The entry deadline has passed.",
                $"The deadline for entries was {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC: files can no longer be uploaded or replaced.",
                "deadline-passed");
        }

        return null;
    }

    private static DateTimeOffset? Deadline(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static DateTimeOffset ExpiryFrom(DateTimeOffset now) => now + Lifetime;

    private bool Expired(Upload upload) => !upload.Complete && upload.ExpiresAt <= clock.GetUtcNow();

    /// <summary>The offset: the recorded one, unless the file is shorter (a write the disk lost in a power cut).</summary>
    private long OnDisk(Upload upload)
    {
        if (upload.Complete)
        {
            return upload.Length;
        }

        var part = new FileInfo(PartPath(upload.Id));
        return Math.Min(upload.Received, part.Exists ? part.Length : 0);
    }

    private static async Task<(Upload Upload, string? WithdrawnAt, long? PromotedEntryId, string? Deadline)?> FindAsync(System.Data.Common.DbConnection connection, string id)
    {
        var row = await connection.QuerySingleOrDefaultAsync<UploadRow>(
            """
            SELECT u.id AS Id, u.submission_id AS SubmissionId, u.length AS Length, u.received AS Received,
                   u.expires_at AS ExpiresAt, u.completed_at AS CompletedAt, s.withdrawn_at AS WithdrawnAt,
                   s.promoted_entry_id AS PromotedEntryId, c.entry_deadline AS Deadline
            FROM uploads u JOIN submissions s ON s.id = u.submission_id JOIN contest c ON c.id = 1
            WHERE u.id = @id
            """,
            new { id });
        return row is null ? null
            : (new Upload(row.Id, row.SubmissionId, row.Length, row.Received, row.ExpiresAt, row.CompletedAt is not null), row.WithdrawnAt, row.PromotedEntryId, row.Deadline);
    }

    private sealed class UploadRow
    {
        public string Id { get; init; } = "";
        public long SubmissionId { get; init; }
        public long Length { get; init; }
        public long Received { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public string? CompletedAt { get; init; }
        public string? WithdrawnAt { get; init; }
        public long? PromotedEntryId { get; init; }
        public string? Deadline { get; init; }
    }

    private static string Megabytes(long bytes) => $"{(bytes / (double)BytesPerMegabyte).ToString("0.#", CultureInfo.InvariantCulture)} MB";

    private static Refusal Gone => new(StatusCodes.Status410Gone, "The upload expired.",
        $"An unfinished upload is kept for {Lifetime.TotalHours} hours after its last data: start it again.", "upload-expired");

    private static Refusal Locked => new(StatusCodes.Status423Locked, "The upload is busy.",
        "Another request for this upload is still running: try again in a moment.", "upload-busy");

    /// <summary>Takes the upload's lock, first stopping the request that holds it; null when it stays held.</summary>
    private async Task<Lease?> EnterAsync(string id, CancellationToken ct)
    {
        var slot = _slots.GetOrAdd(id, _ => new Slot());
        CancellationTokenSource? holder;
        lock (slot)
        {
            holder = slot.Holder;
        }

        try
        {
            holder?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It ended meanwhile.
        }

        if (!await slot.Gate.WaitAsync(LockWait, ct))
        {
            return null;
        }

        var lease = new Lease(slot, CancellationTokenSource.CreateLinkedTokenSource(ct));
        lock (slot)
        {
            slot.Holder = lease.Source;
        }

        return lease;
    }

    private sealed class Slot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public CancellationTokenSource? Holder { get; set; }
    }

    private sealed class Lease(Slot slot, CancellationTokenSource source) : IDisposable
    {
        public CancellationTokenSource Source => source;

        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            lock (slot)
            {
                if (slot.Holder == source)
                {
                    slot.Holder = null;
                }
            }

            source.Dispose();
            slot.Gate.Release();
        }
    }
}
