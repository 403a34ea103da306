using System.Collections.Concurrent;
using AmvScreening.Player.Preflight;
using AmvScreening.Protocol;
using Microsoft.Extensions.Logging;

namespace AmvScreening.Player.Show;

/// <summary>
/// What the latest pre-flight check found of each finalist's file (<see cref="PlaylistEntry.Checked"/>), and whether
/// the file on disk is still the one it checked. At show start every checked file's size is compared at once and its
/// SHA-256 in the background (the show never waits for it); a file that failed its check or changed since is logged as
/// a warning and flagged on the booth panel. A missing file is the show's to handle (it skips it with a slate).
/// </summary>
public sealed class CheckedFiles
{
    private readonly IReadOnlyDictionary<int, CheckedFile> _checked;
    private readonly ConcurrentDictionary<int, string> _changed = new();

    private CheckedFiles(IReadOnlyDictionary<int, CheckedFile> @checked) => _checked = @checked;

    /// <summary>Completes when every checked file has been compared.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>The finalists whose file is no longer the one checked, by entry id, with how it differs.</summary>
    public IReadOnlyDictionary<int, string> Changed => _changed;

    /// <summary>Starts comparing the files of <paramref name="rundown"/>'s finalists with what <paramref name="show"/>'s
    /// playlist says the pre-flight check found.</summary>
    public static CheckedFiles Start(PlayerShow show, Rundown rundown, ILogger logger, CancellationToken ct)
    {
        var files = new CheckedFiles(show.Categories.SelectMany(c => c.Entries)
            .Where(e => e.Checked is not null)
            .ToDictionary(e => e.Entry.Id, e => e.Checked!));
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
                if (found.SizeBytes is { } checkedSize && checkedSize != size)
                {
                    Report(finalist, $"{PreflightChecker.Size(size)}, was {PreflightChecker.Size(checkedSize)}");
                }
                else if (found.Sha256 is not null)
                {
                    pending.Add((finalist, found));
                }
            }

            foreach (var (finalist, found) in pending)
            {
                if (await FileChecksum.Sha256Async(finalist.VideoFile!, ct) != found.Sha256)
                {
                    Report(finalist, "same size, other content: its SHA-256 differs");
                }
            }

            if (_changed.IsEmpty)
            {
                logger.LogInformation("Every checked file is the one the pre-flight check saw ({Count} compared).", _checked.Count);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not compare the files with the pre-flight report: {Error}", e.Message);
        }

        void Report(Finalist finalist, string how)
        {
            _changed[finalist.Entry.Id] = how;
            logger.LogWarning("{Finalist}: the file changed after its pre-flight check ({How}): {File}. Check it, and run the pre-flight check again.",
                Name(rundown, finalist), how, finalist.VideoFile);
        }
    }

    private static string Name(Rundown rundown, Finalist finalist) =>
        $"{finalist.Number}/{rundown.Finalists.Count} {DisplayText.OneLine(finalist.Entry.Title)}";
}
