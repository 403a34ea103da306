using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using AmvScreening.Tests.Web;

namespace AmvScreening.Tests.Server;

/// <summary>What every response says about itself: no sniffing, no framing, no caching of staff data, a policy for the
/// scripts of each page; and behind a TLS proxy the staff cookie stays Secure.</summary>
public sealed class SecurityHeaderTests(SecurityHeaderTests.Server fixture) : IClassFixture<SecurityHeaderTests.Server>
{
    public sealed class Server : IDisposable
    {
        public AmvServer Amv { get; } = new(new Dictionary<string, string?> { ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json") });

        public void Dispose() => Amv.Dispose();
    }

    private readonly AmvServer _server = fixture.Amv;

    [Fact]
    public async Task VoterPage_SendsItsPolicyAsAHeader_ThatForbidsFraming()
    {
        using var phone = _server.CreateAnonymousClient();
        var response = await phone.GetAsync("/v/ABCD");
        var html = await response.Content.ReadAsStringAsync();
        var meta = WebUtility.HtmlDecode(Regex.Match(html, "http-equiv=\"Content-Security-Policy\" content=\"([^\"]+)\"").Groups[1].Value);
        var header = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));

        Assert.Equal($"{meta}; frame-ancestors 'none'", header);
        Assert.Contains("script-src 'self'", header);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    public static TheoryData<string> ConsolePages()
    {
        var pages = new TheoryData<string> { "/console/sign-in", "/console/sign-in?returnUrl=%2Fconsole%2Flive&expired=1", "/console/denied" };
        foreach (var page in ConsoleAccessTests.Pages())
        {
            pages.Add(page);
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(ConsolePages))]
    public async Task ConsolePage_HasAScriptPolicy_NoFraming_NoSniffing_NoReferrer_NoStore(string path)
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var response = await coordinator.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("object-src 'none'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        // Nothing on the page that the policy would block: no inline script or handler.
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(new Regex(@"<script(?![^>]*\bsrc=)|\son[a-z]+\s*=|javascript:", RegexOptions.IgnoreCase), html);
    }

    /// <summary>Every GET of the HTTP API (from /openapi/v1.json), as the coordinator and anonymously: never sniffed,
    /// never stored, whatever the answer (200, 401, 403, 404).</summary>
    [Fact]
    public async Task EveryApiAnswer_IsNotSniffed_AndNotStored()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        using var anonymous = _server.CreateAnonymousClient();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Value.TryGetProperty("get", out _))
            .Select(p => Regex.Replace(p.Name, @"\{[^}]+\}", "1"))
            .Append("/api/no-such-thing")
            .ToList();
        Assert.Contains("/api/tallies", paths);

        var checkedApi = 0;
        foreach (var path in paths)
        {
            foreach (var client in new[] { coordinator, anonymous })
            {
                var response = await client.GetAsync(path);
                Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", $"{path}: {response.StatusCode}");
                if (path.StartsWith("/api/", StringComparison.Ordinal))
                {
                    Assert.True(response.Headers.CacheControl?.NoStore == true, $"{path} ({(int)response.StatusCode}) is not no-store: {response.Headers.CacheControl}");
                    checkedApi++;
                }
            }
        }

        Assert.True(checkedApi > 30, $"only {checkedApi} API answers checked");
    }

    [Fact]
    public async Task BehindATlsProxy_TheStaffCookieIsSecure_AndOnPlainHttpItCannotBe()
    {
        Assert.Contains("secure", await StaffCookieAsync(_server, "https"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await StaffCookieAsync(_server, null), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ForwardedHeaders_FromAnAddressNotTrusted_AreIgnored()
    {
        using var server = new AmvServer(new Dictionary<string, string?> { ["Amv:TrustedProxies"] = "192.0.2.1" });
        Assert.DoesNotContain("secure", await StaffCookieAsync(server, "https"), StringComparison.OrdinalIgnoreCase);

        // Nor does a forged X-Forwarded-For move a guesser to a fresh address.
        for (var i = 0; i < 15; i++)
        {
            using var guesser = server.CreateAnonymousClient();
            guesser.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.{i + 1}");
            guesser.DefaultRequestHeaders.Add(AmvScreening.Protocol.ShowHubContract.ApiKeyHeader, $"guess-{i:D2}-0123456789abcdef");
            await guesser.GetAsync("/api/room");
        }

        using var last = server.CreateAnonymousClient();
        last.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.200");
        last.DefaultRequestHeaders.Add(AmvScreening.Protocol.ShowHubContract.ApiKeyHeader, "guess-last-0123456789abcdef");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await last.GetAsync("/api/room")).StatusCode);
    }

    private static async Task<string> StaffCookieAsync(AmvServer server, string? forwardedProto)
    {
        using var client = server.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { role = Roles.Booth, password = AmvServer.BoothPassword }),
        };
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("amv.staff=", StringComparison.Ordinal));
    }
}
