using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using AmvScreening.Tests.Player;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Web;

namespace AmvScreening.Tests;

/// <summary>
/// The fast run. A test class marked <c>[Trait("Kind", "Unit")]</c> runs in <c>./amv test unit</c> (<c>dotnet test
/// --filter Kind=Unit</c>) in seconds, on a machine with only the .NET SDK: it starts no server, process, browser,
/// display, libvlc or socket. These tests hold every marked class to that by reading its compiled code and the test
/// code it reaches. A class without the mark runs only in the full <c>./amv test</c>, so a new class is safe by default;
/// mark it when it needs none of those things.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class TestKindTests
{
    /// <summary>What a unit test may not reach (a type, a namespace or a member, by the start of its full name), and
    /// what that would need.</summary>
    private static readonly (string Prefix, string Needs)[] Heavy =
    [
        ("AmvScreening.Tests.Support.AmvServer", "a real server"),
        ("Microsoft.AspNetCore.Mvc.Testing.", "a real server"),
        ("Microsoft.AspNetCore.TestHost.", "a test server"),
        ("Microsoft.AspNetCore.Builder.WebApplication", "a server"),
        ("AmvScreening.Player.Show.PlayerApi.Get", "a server"),
        ("AmvScreening.Player.Show.ShowReporter.RunAsync", "a server"),
        ("AmvScreening.Player.Show.ShowReporter.FlushAsync", "a server"),
        ("AmvScreening.Player.Show.PlayerHost.RunAsync", "a server"),
        ("Microsoft.AspNetCore.SignalR.Client.HubConnection.", "a server"),
        ("System.Net.Sockets.", "a socket"),
        ("AmvScreening.Tests.Support.ServerProcess", "a process"),
        ("AmvScreening.Tests.Support.PlayerProcess", "a process"),
        ("AmvScreening.Tests.Support.ChildProcess", "a process"),
        ("AmvScreening.Tests.Support.ExternalProcess", "a process"),
        ("System.Diagnostics.Process", "a process"),
        ("AmvScreening.Tests.Player.Vlc.TestMedia", "ffmpeg"),
        ("AmvScreening.Tests.Support.Browser", "Chromium"),
        ("Microsoft.Playwright.", "Chromium"),
        ("AmvScreening.Tests.Player.ScreenSupport.", "Xvfb"),
        ("AmvScreening.Player.Screen.SdlNative", "SDL and a display"),
        ("AmvScreening.Player.Screen.SdlScreen.Open", "SDL and a display"),
        ("AmvScreening.Player.Vlc.", "libvlc"),
    ];

    private static IEnumerable<Type> TestClasses() =>
        typeof(TestKindTests).Assembly.GetTypes().Where(t => t.GetMethods().Any(m => m.IsDefined(typeof(FactAttribute))));

    private static bool IsUnit(Type type) => Kinds(type).Contains(("Kind", "Unit"));

    private static IEnumerable<(string Name, string Value)> Kinds(MemberInfo member) =>
        member.GetCustomAttributesData().Where(a => a.AttributeType == typeof(TraitAttribute))
            .Select(a => ((string)a.ConstructorArguments[0].Value!, (string)a.ConstructorArguments[1].Value!))
            .Where(t => t.Item1.Equals("Kind", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void UnitClasses_ReachNoServerProcessBrowserDisplayLibvlcOrSocket()
    {
        var units = TestClasses().Where(IsUnit).ToList();
        Assert.NotEmpty(units);

        var problems = units.SelectMany(Reach.Problems).ToList();

        Assert.True(problems.Count == 0,
            "These classes are marked [Trait(\"Kind\", \"Unit\")] but reach what only the full ./amv test has (remove the mark, or the use):\n  " +
            string.Join("\n  ", problems));
    }

    [Fact]
    public void TheKind_IsSpelledOneWay_AndMarksWholeClasses()
    {
        var misspelt = TestClasses().Where(t => Kinds(t).Any(k => k != ("Kind", "Unit"))).Select(t => t.Name);
        var onMethods = TestClasses().SelectMany(t => t.GetMethods()).Where(m => Kinds(m).Any()).Select(m => $"{m.DeclaringType!.Name}.{m.Name}");

        Assert.Empty(misspelt);
        Assert.Empty(onMethods);
    }

    /// <summary>The check above can fail: it finds each kind of heavy use, also through helpers and fixtures.</summary>
    [Theory]
    [InlineData(typeof(PreflightServerTests), "AmvServer", "a real server")] // a field
    [InlineData(typeof(BrowserSmokeTests), "Browser", "Chromium")] // a class fixture
    [InlineData(typeof(ScreenTests), "XvfbDisplay", "Xvfb")] // through the fixture's code
    [InlineData(typeof(SlateRendererTests), "ExternalProcess", "a process")] // through a static helper's async method
    [InlineData(typeof(VlcEngineTests), "VlcEngine", "libvlc")]
    [InlineData(typeof(ShowReporterTests), "System.Net.Sockets.TcpListener", "a socket")]
    public void TheCheck_FindsHeavyUses(Type testClass, string use, string needs)
    {
        var problems = Reach.Problems(testClass);

        Assert.Contains(problems, p => p.Contains(use, StringComparison.Ordinal) && p.EndsWith($"({needs})", StringComparison.Ordinal));
    }

    /// <summary>
    /// Everything a test class reaches in the test assembly's compiled code: its own methods, fixtures, base types and
    /// nested (compiler-made) types; every test method or type it calls or names, followed; the whole of any test type
    /// it makes or is given an instance of (xunit or an interface may call any of its methods). Code outside the test
    /// assembly is judged by name only (<see cref="Heavy"/>).
    /// </summary>
    private sealed class Reach
    {
        private static readonly Module Tests = typeof(Reach).Module;
        private static readonly OpCode[] OneByte = new OpCode[0x100], TwoByte = new OpCode[0x100];

        private readonly HashSet<object> _seen = [];
        private readonly Queue<(MethodBase Method, string Path)> _queue = new();
        /// <summary>The first path found to each heavy thing.</summary>
        private readonly Dictionary<string, string> _problems = [];

        static Reach()
        {
            foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var op = (OpCode)field.GetValue(null)!;
                var value = (ushort)op.Value;
                (value < 0x100 ? OneByte : TwoByte)[value & 0xFF] = op;
            }
        }

        public static List<string> Problems(Type testClass)
        {
            var reach = new Reach();
            reach.WholeType(testClass, "");
            while (reach._queue.TryDequeue(out var next))
            {
                reach.Scan(next.Method, next.Path);
            }

            return [.. reach._problems.Values];
        }

        private void WholeType(Type type, string path)
        {
            var here = path.Length == 0 ? SourceType(type).Name : path;
            if (!_seen.Add(type) || IsHeavy(FullName(type), here))
            {
                return;
            }

            foreach (var used in type.GetInterfaces().Append(type.BaseType).OfType<Type>())
            {
                Referenced(used, here);
            }

            const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var field in type.GetFields(declared))
            {
                Referenced(field.FieldType, here);
            }

            foreach (var method in type.GetMethods(declared).Concat<MethodBase>(type.GetConstructors(declared)))
            {
                Follow(method, path);
            }

            TypeInitializer(type, path);
            foreach (var nested in type.GetNestedTypes(declared))
            {
                WholeType(nested, path);
            }
        }

        private void TypeInitializer(Type type, string path)
        {
            if (type.TypeInitializer is { } initializer)
            {
                Follow(initializer, path);
            }
        }

        private void Follow(MethodBase method, string path)
        {
            if (method.Module == Tests && _seen.Add(method))
            {
                var name = DisplayName(method);
                _queue.Enqueue((method, path.Length == 0 ? name : path.EndsWith(name, StringComparison.Ordinal) ? path : $"{path} → {name}"));
            }
        }

        /// <summary>A type named or used: heavy by name, its type arguments too, and the whole of it when it is a test
        /// type that can have instances.</summary>
        private void Referenced(Type type, string path)
        {
            if (type.HasElementType)
            {
                Referenced(type.GetElementType()!, path);
                return;
            }

            if (type.IsGenericParameter)
            {
                return;
            }

            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                Referenced(argument, path);
            }

            if (!IsHeavy(FullName(type), path) && type.Module == Tests && !(type.IsAbstract && type.IsSealed))
            {
                WholeType(type.IsGenericType ? type.GetGenericTypeDefinition() : type, path);
            }
        }

        private void Touched(MemberInfo member, string path)
        {
            if (member is Type type)
            {
                Referenced(type, path);
                return;
            }

            var owner = member.DeclaringType!;
            if (IsHeavy($"{FullName(owner)}.{member.Name}", path))
            {
                return;
            }

            foreach (var argument in owner.IsGenericType ? owner.GetGenericArguments() : [])
            {
                Referenced(argument, path);
            }

            if (member is MethodInfo { IsGenericMethod: true } generic)
            {
                foreach (var argument in generic.GetGenericArguments())
                {
                    Referenced(argument, path);
                }
            }

            if (member is MethodBase { Attributes: var attributes } && attributes.HasFlag(MethodAttributes.PinvokeImpl))
            {
                _problems.TryAdd("native", $"{path} calls native code {FullName(owner)}.{member.Name} (a native library)");
            }

            var isStatic = member is MethodBase { IsStatic: true } or FieldInfo { IsStatic: true };
            if (owner.Module != Tests)
            {
                return;
            }

            if (!isStatic)
            {
                Referenced(owner, path);
            }
            else
            {
                TypeInitializer(owner, path);
                if (member is MethodBase method)
                {
                    Follow(method, path);
                }
            }
        }

        private void Scan(MethodBase method, string path)
        {
            if (method.GetCustomAttribute<StateMachineAttribute>() is { } machine)
            {
                WholeType(machine.StateMachineType, path);
            }

            var il = method.GetMethodBody()?.GetILAsByteArray();
            if (il is null)
            {
                return;
            }

            var typeArguments = method.DeclaringType is { IsGenericType: true } owner ? owner.GetGenericArguments() : null;
            var methodArguments = method is MethodInfo { IsGenericMethod: true } generic ? generic.GetGenericArguments() : null;
            for (var at = 0; at < il.Length;)
            {
                var op = il[at] == 0xFE ? TwoByte[il[at + 1]] : OneByte[il[at]];
                at += op.Size;
                switch (op.OperandType)
                {
                    case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                        Touched(method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments)!, path);
                        at += 4;
                        break;
                    case OperandType.InlineSwitch:
                        at += 4 + 4 * BitConverter.ToInt32(il, at);
                        break;
                    default:
                        at += op.OperandType switch
                        {
                            OperandType.InlineNone => 0,
                            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                            OperandType.InlineVar => 2,
                            OperandType.InlineI8 or OperandType.InlineR => 8,
                            _ => 4,
                        };
                        break;
                }
            }
        }

        /// <summary>Whether <paramref name="name"/> is heavy (then noted, and not looked into).</summary>
        private bool IsHeavy(string name, string path)
        {
            var heavy = false;
            foreach (var (prefix, needs) in Heavy.Where(h => name.StartsWith(h.Prefix, StringComparison.Ordinal)))
            {
                _problems.TryAdd(prefix, $"{path} uses {name} ({needs})");
                heavy = true;
            }

            return heavy;
        }

        private static string FullName(Type type) =>
            (type.IsGenericType ? type.GetGenericTypeDefinition() : type).FullName?.Replace('+', '.') ?? type.Name;

        /// <summary>The type as written in the source: the one a compiler-made type (a lambda's closure, an async
        /// method's state machine) is nested in.</summary>
        private static Type SourceType(Type type) => type.Name.StartsWith('<') && type.DeclaringType is { } outer ? SourceType(outer) : type;

        /// <summary>"Type.Method" as written in the source, for lambdas and async methods too.</summary>
        private static string DisplayName(MethodBase method)
        {
            var (type, name) = (method.DeclaringType!, method.Name);
            if (name == "MoveNext" && type.Name.StartsWith('<'))
            {
                name = type.Name; // <RunAsync>d__3
            }

            var inner = name.StartsWith('<') && name.IndexOf('>') > 1 ? name[1..name.IndexOf('>')] : name;
            return $"{SourceType(type).Name}.{inner}";
        }
    }
}
