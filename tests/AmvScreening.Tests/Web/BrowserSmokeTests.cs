using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using System.Net.Http.Json;

namespace AmvScreening.Tests.Web;

public sealed class BrowserSmokeTests(Browser browser) : IClassFixture<Browser>, IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task VoterPage_OpensInChromium_FromTheQrUrl()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var room = (await coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!;
        var page = await browser.NewPhoneAsync(_server.BaseAddress);

        var response = await page.GotoAsync($"/v/{room.Code}");

        Assert.Equal(200, response!.Status);
        Assert.Equal("text/html", (await response.HeaderValueAsync("content-type"))?.Split(';')[0]);
    }
}
