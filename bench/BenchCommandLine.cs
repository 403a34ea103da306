using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;

namespace AmvScreening.Bench;

/// <summary>The benchmarks' command lines (docs/benchmarks.md), on System.CommandLine like the player's: compiled into
/// each benchmark.</summary>
internal static class BenchCommandLine
{
    /// <summary><c>name N</c>, a whole number from 1, <paramref name="defaultValue"/> when not given.</summary>
    public static Option<int> Count(string name, int defaultValue, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = r.Tokens.Single().Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1)
            {
                return value;
            }

            r.AddError($"{name} wants a whole number from 1, not '{text}'.");
            return defaultValue;
        },
    };

    /// <summary>Parses <paramref name="args"/> and runs <paramref name="command"/>'s action; a usage error prints the
    /// problem and the help, and exits 2 (1 is a benchmark that failed).</summary>
    public static async Task<int> RunAsync(RootCommand command, string[] args)
    {
        var result = command.Parse(args);
        var exitCode = await result.InvokeAsync();
        return result.Action is ParseErrorAction ? 2 : exitCode;
    }
}
