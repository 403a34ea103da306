using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AmvScreening.Tests.Support;

/// <summary>Ballot cards as the coordinator makes them: a batch through the API, its keys read off the printable sheet.</summary>
public static partial class CardTesting
{
    /// <summary>A card as printed: its number and its key (XXXX-XXXX-XXXX-XXXX).</summary>
    public sealed record Printed(int Number, string Key);

    public static async Task<JsonElement> CreateBatchAsync(HttpClient coordinator, int size, string label = "Saturday")
    {
        var response = await coordinator.PostAsJsonAsync("/api/cards/batches", new { label, size }).WaitAsync(HubTesting.Bound);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The cards of a batch as the printable sheet shows them.</summary>
    public static async Task<IReadOnlyList<Printed>> PrintAsync(HttpClient coordinator, long batchId, int from = 1, int? to = null)
    {
        var html = await coordinator.GetStringAsync($"/console/cards/print?batch={batchId}&from={from}&to={to ?? 500}").WaitAsync(HubTesting.Bound);
        return [.. PrintedCard().Matches(html).Select(m => new Printed(int.Parse(m.Groups[1].Value), m.Groups[2].Value))];
    }

    /// <summary>Turns card mode on or off through the console's editor (the contest's other details as they are).</summary>
    public static async Task SetRequireCardsAsync(HttpClient coordinator, bool requireCards)
    {
        var details = JsonNode.Parse(await coordinator.GetStringAsync("/api/contest"))!["contest"]!;
        details["voting"]!["requireCards"] = requireCards;
        var response = await coordinator.PutAsJsonAsync("/api/contest/details", details).WaitAsync(HubTesting.Bound);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A phone's own id, as the phone app makes one.</summary>
    public static string NewDevice() => Guid.NewGuid().ToString("N");

    [GeneratedRegex("""data-number="(\d+)".*?<div class="key">([A-Z0-9-]+)</div>""", RegexOptions.Singleline)]
    private static partial Regex PrintedCard();
}
