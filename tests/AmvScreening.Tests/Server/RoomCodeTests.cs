using System.Net;
using System.Net.Http.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
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
        Assert.Equal(CodeKind.RetiredScreen, (await codes.CheckAsync(before.Code)).Kind);
        Assert.Equal(CodeKind.Screen, (await codes.CheckAsync(RoomCodes.Normalize(after!.Code.ToLowerInvariant())!)).Kind);
        Assert.Equal(CodeKind.Unknown, (await codes.CheckAsync("AAAAAA")).Kind);
        Assert.Null(RoomCodes.Normalize("not a code"));
        Assert.Equal(after.Code, RoomCodes.Normalize($" {after.Code[..3].ToLowerInvariant()}-{after.Code[3..]} "));
    }

    [Theory]
    [InlineData(Roles.Coordinator)]
    [InlineData(Roles.Booth)]
    [InlineData(Roles.Player)]
    public async Task QrPng_ForStaffAndThePlayer_DecodesToTheCurrentJoinUrl_AndFollowsARotation(string role)
    {
        const string path = "/qr.png";
        var zbarimg = ExternalProcess.Require("zbarimg", "zbar-tools");
        using var coordinator = await _server.CreateStaffClientAsync();
        using var reader = role == Roles.Player ? _server.CreatePlayerClient() : await _server.CreateStaffClientAsync(role);

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var room = await coordinator.GetFromJsonAsync<RoomInfo>("/api/room");
            Assert.Equal(room!.JoinUrl, await DecodeAsync(zbarimg, reader, path));
            Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync("/api/room/rotate", null)).StatusCode);
        }
    }

    [Fact]
    public async Task QrSvg_IsAnSvgDocument()
    {
        using var booth = await _server.CreateStaffClientAsync(Roles.Booth);
        var response = await booth.GetAsync("/qr.svg");
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
