using System.Collections.Concurrent;
using AmvScreening.Slates;

namespace AmvScreening.Tests.Player;

/// <summary>Draws nothing: a slate's "file" names its kind and entry (<c>slate:Intro:7</c>), and every slate asked
/// for is kept for the test to look at.</summary>
public sealed class FakeSlates : ISlateRenderer
{
    public ConcurrentQueue<SlateData> Rendered { get; } = new();

    public string Render(SlateData slate)
    {
        Rendered.Enqueue(slate);
        return PathOf(slate.Kind, slate.Entry?.Id);
    }

    public static string PathOf(SlateKind kind, int? entryId = null) => $"slate:{kind}:{entryId}";
}
