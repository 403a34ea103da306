using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AmvScreening.Tests.Server;

/// <summary>Every setting is checked before the server starts; a bad one stops it with a message naming the setting
/// and exit code 2, not a stack trace.</summary>
public sealed class SettingsTests
{
    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "AmvScreening.Server.dll");

    /// <summary>(how it is given: "env" or "flag", setting, value, what the message must say)</summary>
    public static TheoryData<string, string, string, string> BadStarts() => new()
    {
        { "env", "Amv__Auth__CoordinatorPassword", "abc", "Amv:Auth:CoordinatorPassword must be at least 8 characters." },
        { "flag", "Amv:Auth:PlayerApiKey", "k", "Amv:Auth:PlayerApiKey must be at least 16 characters." },
        { "env", "Amv__Auth__BoothPasword", "booth-pass-1", "Amv:Auth:BoothPasword is not a setting of this server" },
        { "flag", "Amv:Voting:PerVoterBurst", "1e999", "'Amv:Voting:PerVoterBurst'" },
        { "flag", "Amv:Auth:SessionLifetime", "NaN", "'Amv:Auth:SessionLifetime'" },
        { "flag", "Amv:TrustedProxies", "my-proxy", "Amv:TrustedProxies must list IP addresses or networks" },
        { "flag", "Amv:PublicBaseUrl", "http://192.0.2.1:5000/\r\nX: y", "Amv:PublicBaseUrl must be an absolute http:// or https:// address." },
    };

    [Theory]
    [MemberData(nameof(BadStarts))]
    public async Task Server_WithABadSetting_RefusesToStart_NamingIt(string how, string name, string value, string message)
    {
        var data = Directory.CreateTempSubdirectory("amv-settings-").FullName;
        try
        {
            List<string> arguments = [ServerDll, "--urls=http://127.0.0.1:0", $"--Amv:DataDirectory={data}"];
            var environment = new Dictionary<string, string?>();
            if (how == "env")
            {
                environment[name] = value;
            }
            else
            {
                arguments.Add($"--{name}={value}");
            }

            var result = await ExternalProcess.RunAsync("dotnet", arguments, TimeSpan.FromSeconds(60), AppContext.BaseDirectory, environment);

            Assert.True(result.ExitCode == AmvSettings.BadSettingsExitCode, $"exit {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
            Assert.Contains(message, result.StandardError);
            Assert.DoesNotContain("Now listening", result.StandardOutput);
            Assert.DoesNotContain("   at ", result.StandardError); // a message, not a stack trace
            Assert.False(File.Exists(Path.Combine(data, "amv.db")), "nothing is written before the settings are right");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Each checked setting, with each kind of bad value its checks imply (generated from AmvOptions itself, so a
    /// setting added later is covered): each one alone is refused, and the problem names exactly that setting.</summary>
    public static TheoryData<string, string> EveryBadValue()
    {
        var data = new TheoryData<string, string>();
        foreach (var (setting, property) in Settings(typeof(AmvOptions), AmvOptions.Section))
        {
            foreach (var bad in BadValuesOf(property))
            {
                data.Add(setting, bad);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryBadValue))]
    public void EveryCheckedSetting_WithABadValue_IsRefused_NamingIt(string setting, string value)
    {
        var (options, problems) = AmvSettings.Read(Configuration(new() { [setting] = value }));

        Assert.Null(options);
        var problem = Assert.Single(problems);
        Assert.Contains($"{setting}", problem);
    }

    [Fact]
    public void TheTestSettings_AreAccepted_AndEveryNestedSettingsObjectIsChecked()
    {
        var (options, problems) = AmvSettings.Read(Configuration(new()
        {
            ["Amv:Auth:CoordinatorPassword"] = AmvServer.CoordinatorPassword,
            ["Amv:Auth:BoothPassword"] = AmvServer.BoothPassword,
            ["Amv:Auth:PlayerApiKey"] = AmvServer.PlayerApiKey,
            ["Amv:TrustedProxies"] = "127.0.0.1, 10.0.0.0/8 ::1",
            ["Amv:PublicBaseUrl"] = "https://amv.example.org",
        }));
        Assert.Empty(problems);
        Assert.NotNull(options);
        Assert.Equal(3, options.TrustedProxyNetworks.Count);

        // Data annotations do not recurse by themselves: a nested settings object without [ValidateObjectMembers] would
        // go unchecked, as Auth once did.
        var unmarked = NestedObjects(typeof(AmvOptions)).Where(p => !p.IsDefined(typeof(ValidateObjectMembersAttribute))).Select(p => p.Name).ToList();
        Assert.Empty(unmarked);
    }

    [Fact]
    public void TheServersOptions_AreTheSettingsCheckedAtStart_BoundOnce()
    {
        using var server = new AmvServer(new Dictionary<string, string?> { ["Amv:Voting:PerVoterBurst"] = "77" });

        var options = server.Services.GetRequiredService<IOptions<AmvOptions>>().Value;

        Assert.Equal(77, options.Voting.PerVoterBurst);
        Assert.Same(options, server.Services.GetRequiredService<IOptions<AmvOptions>>().Value);
        // No second binding of the section that could disagree with the one checked.
        Assert.Empty(server.Services.GetServices<IConfigureOptions<AmvOptions>>());
        Assert.Empty(server.Services.GetServices<IPostConfigureOptions<AmvOptions>>());
    }

    [Fact]
    public void NonFiniteNumbers_AreRefusedWhereverTheyAre()
    {
        var problems = AmvSettings.Check(new Sample { Ratio = double.PositiveInfinity, Inner = new SampleInner { Level = float.NaN } }, "Amv");

        Assert.Equal(["Amv:Ratio must be a finite number.", "Amv:Inner:Level must be a finite number."], problems);
        Assert.Empty(AmvSettings.Check(new Sample { Ratio = 0.5, Inner = new SampleInner { Level = -2 } }, "Amv"));
    }

    private sealed class Sample
    {
        public double Ratio { get; set; }

        [ValidateObjectMembers]
        public SampleInner Inner { get; set; } = new();
    }

    private sealed class SampleInner
    {
        public float Level { get; set; }
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static IEnumerable<PropertyInfo> NestedObjects(Type type) =>
        type.GetProperties().Where(p => p.CanWrite && p.PropertyType.IsClass && p.PropertyType != typeof(string))
            .SelectMany(p => NestedObjects(p.PropertyType).Prepend(p));

    private static IEnumerable<(string Setting, PropertyInfo Property)> Settings(Type type, string path)
    {
        foreach (var property in type.GetProperties().Where(p => p.CanWrite))
        {
            var setting = $"{path}:{property.Name}";
            if (property.IsDefined(typeof(ValidateObjectMembersAttribute)))
            {
                foreach (var nested in Settings(property.PropertyType, setting))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return (setting, property);
            }
        }
    }

    /// <summary>Values each check of a property must refuse. A check this does not know fails the test, so it learns it.</summary>
    private static IEnumerable<string> BadValuesOf(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(double) || type == typeof(float))
        {
            yield return "NaN";
            yield return "Infinity";
            yield return "-1e999";
        }

        foreach (var check in property.GetCustomAttributes<ValidationAttribute>())
        {
            switch (check)
            {
                case RequiredAttribute:
                    yield return "";
                    break;
                case MinLengthAttribute min:
                    yield return new string('x', min.Length - 1);
                    yield return "";
                    break;
                case RangeAttribute { OperandType: var operand } range when operand == typeof(TimeSpan):
                    yield return (TimeSpan.Parse((string)range.Minimum, CultureInfo.InvariantCulture) - TimeSpan.FromSeconds(1)).ToString("c");
                    yield return (TimeSpan.Parse((string)range.Maximum, CultureInfo.InvariantCulture) + TimeSpan.FromSeconds(1)).ToString("c");
                    break;
                case RangeAttribute range:
                    yield return (Convert.ToInt64(range.Minimum, CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture);
                    yield return (Convert.ToInt64(range.Maximum, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
                    break;
                case HttpUrlAttribute:
                    yield return "192.0.2.1:5000";
                    yield return "ftp://192.0.2.1/";
                    yield return "http://192.0.2.1:5000/\r\nSet-Cookie: a=b";
                    yield return "http://amv example.org/";
                    break;
                case NetworksAttribute:
                    yield return "proxy.example.org";
                    yield return "10.0.0.0/33";
                    yield return "127.0.0.1, nope";
                    break;
                default:
                    throw new InvalidOperationException($"No bad values known for {check.GetType().Name} on {property.Name}: add them here.");
            }
        }
    }
}
