using AmvScreening.Audience;
using AmvScreening.Audience.Demo;
using AmvScreening.Audience.Processes;

namespace AmvScreening.Tests.Demo;

/// <summary>What <c>./amv demo</c> reads before it starts anything: its settings from the environment, its secrets file
/// and the files the contest names (the clips it makes for them).</summary>
[Trait("Kind", "Unit")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DemoSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("amv-demo-settings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static DemoSettings From(Dictionary<string, string> environment, string? lan = "192.0.2.7") =>
        DemoSettings.From(name => environment.GetValueOrDefault(name), () => lan);

    [Fact]
    public void Nothing_Set_IsTheDocumentedDefaults()
    {
        var settings = From([]);

        Assert.Equal(5080, settings.Port);
        Assert.Equal(Path.Combine(Repository.Root, "data", "demo"), settings.Data);
        Assert.Equal(Path.Combine(Repository.Root, "samples", "kumoricon-2023.json"), settings.Import);
        Assert.Equal(new Uri("http://192.0.2.7:5080/"), settings.PublicBase);
        Assert.Equal(new Uri("http://127.0.0.1:5080/"), settings.Local);
    }

    [Fact]
    public void NoLanAddress_PhonesAreToldLoopback()
    {
        Assert.Equal("127.0.0.1", From([], lan: null).Host);
    }

    [Fact]
    public void EverySetting_IsTaken_RelativePathsFromTheRepository()
    {
        var settings = From(new()
        {
            ["AMV_DEMO_PORT"] = "6123", ["AMV_DEMO_DATA"] = "data/elsewhere", ["AMV_DEMO_IMPORT"] = "samples/kumoricon-2023.csv",
            ["AMV_DEMO_HOST"] = "amv.local",
        });

        Assert.Equal(6123, settings.Port);
        Assert.Equal(Path.Combine(Repository.Root, "data", "elsewhere"), settings.Data);
        Assert.Equal(Path.Combine(Repository.Root, "samples", "kumoricon-2023.csv"), settings.Import);
        Assert.Equal(new Uri("http://amv.local:6123/"), settings.PublicBase);
        Assert.Equal(Path.Combine(settings.Data, "demo-credentials.env"), settings.CredentialsFile);
    }

    [Fact]
    public void ImportSetEmpty_StartsWithNoContest()
    {
        Assert.Null(From(new() { ["AMV_DEMO_IMPORT"] = "" }).Import);
    }

    [Theory]
    [InlineData("AMV_DEMO_PORT", "0")]
    [InlineData("AMV_DEMO_PORT", "65536")]
    [InlineData("AMV_DEMO_PORT", "-1")]
    [InlineData("AMV_DEMO_PORT", "80 80")]
    [InlineData("AMV_DEMO_PORT", "http")]
    [InlineData("AMV_DEMO_IMPORT", "samples/no-such-contest.json")]
    [InlineData("AMV_DEMO_HOST", "two words")]
    [InlineData("AMV_DEMO_HOST", "http://amv.local/")]
    public void BadValue_IsRefused_NamingTheVariable(string variable, string value)
    {
        var failure = Assert.Throws<AmvFailure>(() => From(new() { [variable] = value }));

        Assert.Contains(variable, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_AreMadeOnce_OwnerOnly_AndTheSameOnTheNextRun()
    {
        var path = Path.Combine(_folder, "demo-credentials.env");

        var first = DemoCredentials.LoadOrCreate(path);
        var second = DemoCredentials.LoadOrCreate(path);

        Assert.Equal(first, second);
        Assert.Matches("^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$", first.CoordinatorPassword);
        Assert.Matches("^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$", first.BoothPassword);
        Assert.Matches("^[0-9a-f]{48}$", first.PlayerApiKey);
        Assert.NotEqual(first.CoordinatorPassword, first.BoothPassword);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(first.PlayerApiKey, first.Environment["Amv__Auth__PlayerApiKey"]);
    }

    [Theory]
    [InlineData("Amv__Auth__CoordinatorPassword")]
    [InlineData("Amv__Auth__BoothPassword")]
    [InlineData("Amv__Auth__PlayerApiKey")]
    public void Credentials_LackingASecret_AreRefused_SayingToDeleteTheFile(string emptied)
    {
        var path = Path.Combine(_folder, "demo-credentials.env");
        DemoCredentials.LoadOrCreate(path);
        File.WriteAllLines(path, File.ReadAllLines(path).Select(line => line.StartsWith(emptied + "=", StringComparison.Ordinal) ? emptied + "=" : line));

        var failure = Assert.Throws<AmvFailure>(() => DemoCredentials.LoadOrCreate(path));

        Assert.Contains("lacks a secret: delete it", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSampleContest_NamesTheSameFiles_AsJsonAndAsCsv()
    {
        var json = SampleClips.NamedIn(Path.Combine(Repository.Root, "samples", "kumoricon-2023.json"));
        var csv = SampleClips.NamedIn(Path.Combine(Repository.Root, "samples", "kumoricon-2023.csv"));

        Assert.Equal(21, json.Count);
        Assert.Equal("upbeat-fun/01-kimi-no-beat-wa.mp4", json[0]);
        Assert.Equal(json, csv);
    }

    [Theory]
    [InlineData("contest.json", "{ not json")]
    [InlineData("contest.json", "[1, 2]")]
    [InlineData("contest.json", """{"finalists": [{"file": 3}, {"file": ""}, "x", {"title": "no file"}]}""")]
    [InlineData("contest.csv", "category,order\nA,1\n")]
    [InlineData("contest.csv", "")]
    public void AContestFile_ThatNamesNoFiles_OrCannotBeRead_NamesNone(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);

        Assert.Empty(SampleClips.NamedIn(path));
    }
}
