using System.Globalization;
using System.Text;

namespace AmvScreening.Slates;

/// <summary>
/// The rendered slates on disk, where libvlc reads them: each slate a new file
/// (<c>slate-&lt;time&gt;-&lt;counter&gt;-&lt;kind&gt;-&lt;random&gt;.svg</c>, written to a <c>.tmp</c> name and then
/// renamed), so a file libvlc may still be reading is never overwritten. The last <c>keep</c> files are kept and older
/// ones deleted; at start, <c>slate-*</c> files over a day old left by earlier runs are removed.
/// </summary>
internal sealed class SlateFileCache
{
    /// <summary>Where slates go when the folder cannot be written.</summary>
    private static readonly string FallbackFolder = Path.Combine(Path.GetTempPath(), "amvscreening-slates-fallback");

    private readonly int _keep;
    private readonly Action<string> _problem;
    private readonly Queue<string> _written = new();
    private readonly Lock _gate = new();
    private long _counter;

    /// <param name="folder">Where the files go.</param>
    /// <param name="keep">How many of the last files to keep (libvlc may still be reading a recent one); at least 2.</param>
    /// <param name="problem">Told what could not be written or deleted.</param>
    public SlateFileCache(string folder, int keep, Action<string> problem)
    {
        Folder = Path.GetFullPath(folder);
        _keep = Math.Max(2, keep);
        _problem = problem;
        RemoveStaleFiles();
    }

    public string Folder { get; }

    /// <summary>Writes <paramref name="svg"/> as a new file and returns its full path: in <see cref="Folder"/>, else in
    /// a fallback folder in the temp folder, else a path that does not exist (libvlc then fails the item and the show
    /// moves on).</summary>
    public string Write(SlateKind kind, string svg)
    {
        foreach (var folder in new[] { Folder, FallbackFolder })
        {
            try
            {
                Directory.CreateDirectory(folder);
                var name = string.Create(CultureInfo.InvariantCulture,
                    $"slate-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Interlocked.Increment(ref _counter):D5}-{kind.ToString().ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}.svg");
                var path = Path.Combine(folder, name);
                var temporary = path + ".tmp";
                File.WriteAllText(temporary, svg, new UTF8Encoding(false));
                File.Move(temporary, path);
                Remember(path);
                return path;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _problem($"could not write a slate in {folder} ({e.Message})");
            }
        }

        return Path.Combine(Folder, "unwritable.svg");
    }

    private void Remember(string path)
    {
        lock (_gate)
        {
            _written.Enqueue(path);
            while (_written.Count > _keep)
            {
                TryDelete(_written.Dequeue());
            }
        }
    }

    /// <summary>Slate files left by earlier runs (a day old or more) are removed; recent ones may belong to another
    /// player on the same machine.</summary>
    private void RemoveStaleFiles()
    {
        try
        {
            if (!Directory.Exists(Folder))
            {
                return;
            }

            var limit = DateTime.UtcNow.AddDays(-1);
            foreach (var file in Directory.EnumerateFiles(Folder, "slate-*"))
            {
                if (File.GetLastWriteTimeUtc(file) < limit)
                {
                    TryDelete(file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _problem($"could not clean old slates in {Folder} ({e.Message})");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still open somewhere (Windows): it goes with the next stale-file sweep.
        }
    }
}
