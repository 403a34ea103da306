using System.Net;
using System.Net.Http.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Room;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Server;

public sealed class RoomCodeTests : IDisposable
{
    private readonly AmvServer _server = new(new Dictionary<string, string?> { ["Amv:PublicBaseUrl"] = "https://amv.example.org" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task RoomCode_UsesOnlyUnambiguousCharacters_AndJoinUrlIsBaseSlashVSlashCode()
    {
        using var client = await _server.CreateStaffClientAsync();
        var room = await client.GetFromJsonAsync<RoomInfo>("/api/room");
        Assert.NotNull(room);
        Assert.Equal(RoomCodes.Length, room.Code.Length);
        Assert.All(room.Code, c => Assert.Contains(c, RoomCodes.Alphabet));
        Assert.DoesNotContain(room.Code, c => "0O1IL5S8B".Contains(c));
        Assert.Equal($"https://amv.example.org/v/{room.Code}", room.JoinUrl);
    }

    [Fact]
    public async Task Rotate_ReplacesTheCode_AndTheOldOneIsRetiredNotUnknown()
    {
        using var client = await _server.CreateStaffClientAsync();
        var before = await client.GetFromJsonAsync<RoomInfo>("/api/room");
        var rotated = await (await client.PostAsync("/api/room/rotate", null)).Content.ReadFromJsonAsync<RoomInfo>();
        var after = await client.GetFromJsonAsync<RoomInfo>("/api/room");

        Assert.NotEqual(before!.Code, rotated!.Code);
        Assert.Equal(rotated, after);
        var codes = _server.Services.GetRequiredService<RoomCodes>();
        Assert.Equal(RoomCodes.Status.Retired, await codes.CheckAsync(before.Code));
        Assert.Equal(RoomCodes.Status.Current, await codes.CheckAsync(after!.Code.ToLowerInvariant()));
        Assert.Equal(RoomCodes.Status.Unknown, await codes.CheckAsync("AAAAAA"));
        Assert.Equal(RoomCodes.Status.Unknown, await codes.CheckAsync("not a code"));
    }

    [Fact]
    public async Task PublicQrPng_DecodesToTheCurrentJoinUrl_AndFollowsARotation()
    {
        const string path = "/qr.png";
        var zbarimg = ExternalProcess.Require("zbarimg", "zbar-tools");
        using var coordinator = await _server.CreateStaffClientAsync();
        using var anonymous = _server.CreateAnonymousClient();

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var room = await coordinator.GetFromJsonAsync<RoomInfo>("/api/room");
            Assert.Equal(room!.JoinUrl, await DecodeAsync(zbarimg, anonymous, path));
            Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync("/api/room/rotate", null)).StatusCode);
        }
    }

    [Fact]
    public async Task PublicQrSvg_IsAnSvgDocument()
    {
        using var anonymous = _server.CreateAnonymousClient();
        var response = await anonymous.GetAsync("/qr.svg");
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("svg", svg.Root?.Name.LocalName);
    }

    private static async Task<string> DecodeAsync(string zbarimg, HttpClient client, string path)
    {
        var file = Path.Combine(Path.GetTempPath(), $"amv-qr-{Guid.NewGuid():N}{Path.GetExtension(path)}");
        try
        {
            await File.WriteAllBytesAsync(file, await client.GetByteArrayAsync(path));
            var result = await ExternalProcess.RunAsync(zbarimg, ["--quiet", "--raw", file], TimeSpan.FromSeconds(20));
            Assert.True(result.ExitCode == 0, $"zbarimg could not decode {path}: {result.StandardError}");
            return result.StandardOutput.Trim();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
