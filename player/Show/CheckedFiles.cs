using System.Collections.Concurrent;
using AmvScreening.Player.Preflight;
using AmvScreening.Protocol;
using Microsoft.Extensions.Logging;

namespace AmvScreening.Player.Show;

/// <summary>
/// What the latest pre-flight check found of each finalist's file (<see cref="PlaylistEntry.Checked"/>), and whether
/// the file on disk is still the one it checked. At show start every checked file's size is compared at once and its
/// SHA-256 in the background (the show never waits for it); a file that failed its check or changed since is logged as
/// a warning and flagged on the booth panel, and the server is told (<see cref="PlayerApi.PostChangedFilesAsync"/>) so
/// the consoles flag it too. A missing file is the show's to handle (it skips it with a slate).
/// </summary>
public sealed class CheckedFiles
{
    private readonly IReadOnlyDictionary<int, CheckedFile> _checked;
    private readonly ConcurrentDictionary<int, string> _changed = new();
    private readonly ConcurrentDictionary<int, ChangedFile> _now = new();
    private readonly Func<ChangedFiles, CancellationToken, Task>? _tell;

    private CheckedFiles(IReadOnlyDictionary<int, CheckedFile> @checked, Func<ChangedFiles, CancellationToken, Task>? tell) =>
        (_checked, _tell) = (@checked, tell);

    /// <summary>Completes when every checked file has been compared.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>The finalists whose file is no longer the one checked, by entry id, with how it differs.</summary>
    public IReadOnlyDictionary<int, string> Changed => _changed;

    /// <summary>Starts comparing the files of <paramref name="rundown"/>'s finalists with what <paramref name="show"/>'s
    /// playlist says the pre-flight check found. <paramref name="tell"/>, when given, is sent the whole list of changed
    /// files each time one is found, and an empty list when the comparison ends with none.</summary>
    public static CheckedFiles Start(
        PlayerShow show, Rundown rundown, ILogger logger, CancellationToken ct, Func<ChangedFiles, CancellationToken, Task>? tell = null)
    {
        var files = new CheckedFiles(show.Categories.SelectMany(c => c.Entries)
            .Where(e => e.Checked is not null)
            .ToDictionary(e => e.Entry.Id, e => e.Checked!), tell);
        if (files._checked.Count == 0)
        {
            logger.LogInformation("No pre-flight report covers this show's files: run the pre-flight check (preflight --server URL) before the show.");
            return files;
        }

        foreach (var finalist in rundown.Finalists.Where(f => files.Failed(f.Entry.Id)))
        {
            logger.LogWarning("{Finalist}: its file failed the pre-flight check (see the report on the coordinator's setup page): it may not play.",
                Name(rundown, finalist));
        }

        files.Completion = Task.Run(() => files.CompareAsync(rundown, logger, ct), CancellationToken.None);
        return files;
    }

    /// <summary>Whether the finalist's file failed its pre-flight check (status error).</summary>
    public bool Failed(int entryId) => _checked.TryGetValue(entryId, out var file) && file.Status == "error";

    /// <summary>"failed pre-flight", "changed after pre-flight", or null when neither is known.</summary>
    public string? Flag(int entryId) =>
        _changed.ContainsKey(entryId) ? "changed after pre-flight" : Failed(entryId) ? "failed pre-flight" : null;

    /// <summary>The booth panel's line ("PRE-FLIGHT  changed since checked: 3, 7 · failed: 5"); null when all is well.</summary>
    public string? Summary(Rundown rundown)
    {
        string Numbers(Func<int, bool> which) => string.Join(", ", rundown.Finalists.Where(f => which(f.Entry.Id)).Select(f => f.Number));
        var parts = new[]
        {
            Numbers(_changed.ContainsKey) is { Length: > 0 } changed ? $"changed since checked: {changed}" : null,
            Numbers(Failed) is { Length: > 0 } failed ? $"failed: {failed}" : null,
        }.OfType<string>().ToList();
        return parts.Count == 0 ? null : $"PRE-FLIGHT {string.Join(" · ", parts)} (finalist numbers)";
    }

    private async Task CompareAsync(Rundown rundown, ILogger logger, CancellationToken ct)
    {
        try
        {
            // Sizes first (instant), then the checksums one file at a time.
            var pending = new List<(Finalist Finalist, CheckedFile Checked)>();
            foreach (var finalist in rundown.Finalists)
            {
                if (finalist.VideoFile is not { } path || !_checked.TryGetValue(finalist.Entry.Id, out var found) || !File.Exists(path))
                {
                    continue;
                }

                var size = new FileInfo(path).Length;
                if (found.Differs(size, null))
                {
                    Report(finalist, $"{PreflightChecker.Size(size)}, was {PreflightChecker.Size(found.SizeBytes!.Value)}", new ChangedFile(finalist.Entry.Id, size, null));
                }
                else if (found.Sha256 is not null)
                {
                    pending.Add((finalist, found));
                }
            }

            if (!_changed.IsEmpty)
            {
                await TellAsync(logger, ct);
            }

            foreach (var (finalist, found) in pending)
            {
                var now = new ChangedFile(finalist.Entry.Id, found.SizeBytes ?? new FileInfo(finalist.VideoFile!).Length, await FileChecksum.Sha256Async(finalist.VideoFile!, ct));
                if (found.Differs(now.SizeBytes, now.Sha256))
                {
                    Report(finalist, "same size, other content: its SHA-256 differs", now);
                    await TellAsync(logger, ct);
                }
            }

            if (_changed.IsEmpty)
            {
                logger.LogInformation("Every checked file is the one the pre-flight check saw ({Count} compared).", _checked.Count);
                await TellAsync(logger, ct); // clears what an earlier show start may have said
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not compare the files with the pre-flight report: {Error}", e.Message);
        }

        void Report(Finalist finalist, string how, ChangedFile now)
        {
            _now[finalist.Entry.Id] = now;
            _changed[finalist.Entry.Id] = how;
            logger.LogWarning("{Finalist}: the file changed after its pre-flight check ({How}): {File}. Check it, and run the pre-flight check again.",
                Name(rundown, finalist), how, finalist.VideoFile);
        }
    }

    /// <summary>Sends the server the whole list of changed files; a server that cannot be told is a warning, not a stop.</summary>
    private async Task TellAsync(ILogger logger, CancellationToken ct)
    {
        if (_tell is null)
        {
            return;
        }

        try
        {
            await _tell(new ChangedFiles([.. _now.Values.OrderBy(f => f.EntryId)]), ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or PlayerApiKeyException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Could not tell the server which files changed after their pre-flight check: {Error}", e.Message);
        }
    }

    private static string Name(Rundown rundown, Finalist finalist) =>
        $"{finalist.Number}/{rundown.Finalists.Count} {DisplayText.OneLine(finalist.Entry.Title)}";
}
