using AmvScreening.Server.Contest;
using AmvScreening.Server.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AmvScreening.Tests.Hardening;

/// <summary>The two rules that keep exports and video paths safe, checked on thousands of generated inputs.</summary>
[Trait("Kind", "Unit")]
public sealed class CsvAndPathPropertyTests
{
    private const string FormulaStarts = "=+-@\t\r";

    /// <summary>Texts that start the way formulas, apostrophes and ordinary titles do.</summary>
    private static readonly Gen<string> Cells =
        from prefix in Gen.Elements("", "=", "+", "-", "@", "\t", "\r", "'", "'=", "''+", "' ", "-1", "'Til ")
        from rest in ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)
        select prefix + rest;

    [Property(MaxTest = 2000)]
    public Property EscapedCell_NeverStartsAFormula_AndUnescapesToTheSameText() =>
        Prop.ForAll(Cells.ToArbitrary(), cell =>
        {
            var escaped = CsvFiles.Escape(cell);
            return (escaped.Length == 0 || !FormulaStarts.Contains(escaped[0])) && CsvFiles.Unescape(escaped) == cell;
        });

    /// <summary>Paths made of the pieces that lead out of a folder, in every combination FsCheck finds.</summary>
    private static readonly Gen<string> Paths =
        from rooted in Gen.Elements("", "/", "\\", "C:\\", "C:", "//server/share/")
        from segments in Gen.Elements("..", ".", "a", "b.mp4", "", "...", "~", "C:", "..\\..", "%2e%2e", "media", " ").ListOf()
        from separator in Gen.Elements("/", "\\")
        select rooted + string.Join(separator, segments);

    [Property(MaxTest = 3000)]
    public Property VideoPath_IsAcceptedOnlyWhenThePlayerWouldFindItInsideTheMediaRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "amv-media-root");
        return Prop.ForAll(Paths.ToArbitrary(), path =>
        {
            var accepted = ContestValidator.VideoPathProblem(path, root) is null;
            // Where a player on Linux or Windows (separators both ways) would look for the file.
            var resolved = Path.GetFullPath(Path.Combine(root, path.Replace('\\', '/')));
            var inside = resolved.StartsWith(root + "/", StringComparison.Ordinal) && !(path.Length > 1 && path[1] == ':');
            var segments = path.Split('/', '\\');
            var plain = segments.All(s => s is not (".." or "")) && segments.Any(s => s != ".") && !path.Contains(':');
            return (!accepted || inside).Label($"accepted but leads to {resolved}")
                .And((accepted || !plain).Label("a plain relative path was refused"));
        });
    }
}
