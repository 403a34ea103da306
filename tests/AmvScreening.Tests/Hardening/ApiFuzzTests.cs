using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Protocol;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using Xunit.Abstractions;

namespace AmvScreening.Tests.Hardening;

/// <summary>
/// The fuzz suite: every HTTP operation the server describes in <c>/openapi/v1.json</c> and every show hub method,
/// driven as every role with generated malformed input (<see cref="JunkJson"/>: wrong types, missing and extra fields,
/// fields given twice, numbers that are not finite or too large, strings with line breaks, NUL and odd Unicode, deep
/// nesting, empty bodies and bodies that are not JSON, wrong content types, odd path values and upper-case paths).
/// It asserts that the server never answers 5xx (nor fails a hub call with an unexpected error), that a refused request
/// changes nothing in the database (every table compared before and after), and that the server stays up.
/// </summary>
public sealed class ApiFuzzTests(ITestOutputHelper output)
{
    /// <summary>Set AMV_FUZZ_SEED to replay or vary a run; the seed is printed.</summary>
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("AMV_FUZZ_SEED"), out var seed) ? seed : 20261130;

    /// <summary>Cases per operation and role; each kind of mutation comes round in turn. A role the operation refuses
    /// (401, 403 to a well-formed request) gets a round of each kind; a role it serves gets more, to reach its handler.</summary>
    private const int CasesPerRefusedRole = 12;

    private const int CasesPerServedRole = 48;

    private const int CasesPerHubMethodAndRole = 24;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private enum Role { Anonymous, Voter, Booth, Coordinator, Player, Forged }

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=utf-16",
        "text/csv", "application/problem+json", "application/json; charset=utf-8", "",
    ];

    [Fact]
    public async Task EveryOperationAndHubMethod_AsEveryRole_WithMalformedInput_NeverAnswers5xx_NorChangesTheDatabaseWhenRefused()
    {
        using var server = new AmvServer(new Dictionary<string, string?>
        {
            ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json"),
            // One voter token sends every voter case: its own limit would otherwise answer most of them 429.
            ["Amv:Voting:PerVoterBurst"] = "10000",
            ["Amv:Voting:PerVoterPerMinute"] = "100000",
        });
        await using var run = await Run.StartAsync(server, Seed);
        var clock = Stopwatch.StartNew();

        var operations = await run.OperationsAsync();
        foreach (var operation in operations)
        {
            foreach (var role in Enum.GetValues<Role>())
            {
                // A staff session that signed itself out would leave the rest of the run anonymous.
                if (role is Role.Booth or Role.Coordinator && operation.Path.StartsWith("/api/auth/", StringComparison.Ordinal) && operation.Method != "GET")
                {
                    continue;
                }

                var served = await run.HttpCaseAsync(operation, role, kind: 0) is not (401 or 403);
                for (var i = 1; i < (served ? CasesPerServedRole : CasesPerRefusedRole); i++)
                {
                    await run.HttpCaseAsync(operation, role, kind: i % CasesPerRefusedRole);
                }

                if (served)
                {
                    await run.EveryPlaceAsync(operation, role);
                }
            }
        }

        var hubMethods = typeof(IShowHub).GetMethods();
        foreach (var method in hubMethods)
        {
            foreach (var role in Enum.GetValues<Role>())
            {
                for (var i = 0; i < CasesPerHubMethodAndRole; i++)
                {
                    await run.HubCaseAsync(method, role, kind: i);
                }

                await run.HubEveryPlaceAsync(method, role);
            }
        }

        await run.AssertUpAsync();
        output.WriteLine($"Fuzz seed {Seed}: {run.HttpCases} HTTP cases over {operations.Count} operations and {Enum.GetValues<Role>().Length} roles, " +
            $"{run.HubCases} hub cases over {hubMethods.Length} methods, {run.HttpCases + run.HubCases} in all, in {clock.Elapsed.TotalSeconds:0.0} s.");
        output.WriteLine($"HTTP answers: {string.Join(", ", run.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}; " +
            $"hub: {run.HubRefused} refused, {run.HubAccepted} accepted.");
        Assert.True(run.Failures.Count == 0, $"{run.Failures.Count} failures (seed {Seed}), the first ones:\n" + string.Join("\n", run.Failures.Take(15)));
        Assert.True(run.HttpCases > 2000 && run.HubCases > 300, "too few cases ran");
    }

    /// <summary>An operation of the OpenAPI document.</summary>
    private sealed record Operation(string Method, string Path, IReadOnlyList<(string Name, string In, JsonElement Schema)> Parameters, JsonElement? Body);

    private sealed class Run : IAsyncDisposable
    {
        private readonly AmvServer _server;
        private readonly HttpClient _http;
        private readonly JunkJson _junk;
        private readonly Dictionary<Role, string> _cookies = [];
        private readonly Dictionary<Role, System.Net.CookieContainer> _cookieJars = [];
        private readonly Dictionary<Role, RawHubClient> _hubs = [];
        private JsonElement _components;
        private string _voterToken = "";
        private string _roomCode = "";
        private long _sequence = 1_000;
        private IReadOnlyDictionary<string, string> _database = new Dictionary<string, string>();

        private Run(AmvServer server, int seed)
        {
            _server = server;
            _junk = new JunkJson(seed);
            // No cookie jar and no redirects: every request carries exactly the credentials of its role.
            _http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress, Timeout = Bound };
        }

        public int HttpCases { get; private set; }

        public int HubCases { get; private set; }

        public int HubRefused { get; private set; }

        public int HubAccepted { get; private set; }

        public Dictionary<int, int> Statuses { get; } = [];

        public List<string> Failures { get; } = [];

        public static async Task<Run> StartAsync(AmvServer server, int seed)
        {
            var run = new Run(server, seed);
            foreach (var role in new[] { Role.Booth, Role.Coordinator })
            {
                var jar = new System.Net.CookieContainer();
                using var _ = await server.CreateStaffClientAsync(role.ToString().ToLowerInvariant(), jar);
                run._cookieJars[role] = jar;
                run._cookies[role] = jar.GetCookieHeader(server.BaseAddress);
            }

            using var coordinator = await server.CreateStaffClientAsync();
            run._roomCode = (await coordinator.GetFromJsonAsync<RoomInfo>("/api/room").WaitAsync(Bound))!.Code;
            (await coordinator.PostAsync("/api/voting/categories/1/open", null).WaitAsync(Bound)).EnsureSuccessStatusCode();
            using var phone = server.CreateAnonymousClient();
            run._voterToken = (await VoterClient.JoinAsync(phone, run._roomCode).WaitAsync(Bound)).Token;
            run._database = await DatabaseDump.TakeAsync(server.DatabasePath);
            return run;
        }

        public async Task<IReadOnlyList<Operation>> OperationsAsync()
        {
            var document = await _http.GetFromJsonAsync<JsonElement>("/openapi/v1.json").WaitAsync(Bound);
            _components = document.GetProperty("components").GetProperty("schemas");
            var operations = new List<Operation>();
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject())
                {
                    var parameters = operation.Value.TryGetProperty("parameters", out var list)
                        ? list.EnumerateArray().Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!, p.GetProperty("schema"))).ToList()
                        : [];
                    JsonElement? body = operation.Value.TryGetProperty("requestBody", out var requestBody)
                        ? requestBody.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema")
                        : null;
                    operations.Add(new Operation(operation.Name.ToUpperInvariant(), path.Name, parameters, body));
                }
            }

            return operations;
        }

        /// <summary>Every field of a well-formed body in turn replaced by each kind of junk (<see cref="JunkJson.EveryPlace"/>).</summary>
        public async Task EveryPlaceAsync(Operation operation, Role role)
        {
            if (operation.Body is { } schema && Valid(schema, "") is { } valid)
            {
                foreach (var body in _junk.EveryPlace(valid))
                {
                    await HttpCaseAsync(operation, role, kind: 0, Encoding.UTF8.GetBytes(body));
                }
            }
        }

        /// <summary>One request: <paramref name="kind"/> picks what is malformed in it, unless <paramref name="junkBody"/>
        /// is given. Returns the status (0: no answer).</summary>
        public async Task<int> HttpCaseAsync(Operation operation, Role role, int kind, byte[]? junkBody = null)
        {
            var valid = operation.Body is { } schema ? Valid(schema, "") : null;
            var path = Path(operation, odd: kind == 7, upperCase: kind == 8);
            byte[]? body = junkBody ?? (valid?.ToJsonString() is { } json ? Encoding.UTF8.GetBytes(json) : null);
            var contentType = "application/json";
            switch (junkBody is null ? kind : -1)
            {
                case 1 or 2 or 3 or 4 when valid is not null:
                    body = Encoding.UTF8.GetBytes(_junk.Mutate(valid));
                    break;
                case 1 or 2 or 3 or 4 or 5 or 10:
                    body = _junk.Body();
                    contentType = _junk.Pick(["application/json", "text/csv", "text/plain"]);
                    break;
                case 6:
                    body ??= _junk.Body();
                    contentType = _junk.Pick(ContentTypes);
                    break;
                case 9:
                    body = null;
                    break;
                case 11:
                    body = Encoding.UTF8.GetBytes(valid is not null ? _junk.Mutate(valid) : _junk.Value());
                    break;
            }

            using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                if (contentType.Length > 0)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            // A connection the server closed after refusing a body it did not read is not reused for the next case.
            request.Headers.ConnectionClose = true;
            Authenticate(request, role);
            var described = $"{role} {operation.Method} {path} [{contentType}] {Excerpt(body)}";
            HttpCases++;
            int status;
            try
            {
                using var response = await _http.SendAsync(request).WaitAsync(Bound);
                status = (int)response.StatusCode;
                await response.Content.ReadAsByteArrayAsync().WaitAsync(Bound);
            }
            catch (HttpRequestException e)
            {
                Failures.Add($"no answer ({e.Message}): {described}");
                return 0;
            }

            Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                Failures.Add($"{status}: {described}{Environment.NewLine}  server log: {string.Join(Environment.NewLine + "  ", _server.Errors.TakeLast(2))}");
            }

            await CheckDatabaseAsync(refused: status is >= 400 and < 500, described);
            if (HttpCases % 250 == 0)
            {
                await AssertUpAsync();
            }

            return status;
        }

        /// <summary>One hub invocation: <paramref name="kind"/> picks what is malformed in its arguments.</summary>
        public async Task HubCaseAsync(MethodInfo method, Role role, int kind)
        {
            var parameters = method.GetParameters();
            var arguments = parameters.Select(p => Valid(p.ParameterType)).ToList();
            string[] raw = [.. arguments.Select(a => a.ToJsonString())];
            switch (kind % 6)
            {
                case 1 or 2 or 3 when arguments.Count > 0:
                    var i = _junk.Random.Next(arguments.Count);
                    raw[i] = _junk.Mutate(arguments[i]);
                    break;
                case 4:
                    raw = kind % 12 == 4 ? [] : [.. raw, _junk.Value()];
                    break;
                case 5:
                    raw = [.. raw.Select(_ => _junk.Value())];
                    if (raw.Length == 0)
                    {
                        raw = ["null"];
                    }

                    break;
            }

            await HubInvokeAsync(method, role, raw);
        }

        private async Task HubInvokeAsync(MethodInfo method, Role role, string[] raw)
        {
            var hub = await HubAsync(role);
            var described = $"{role} hub {method.Name}({Excerpt(Encoding.UTF8.GetBytes(string.Join(",", raw)))})";
            HubCases++;
            var answer = await hub.InvokeAsync(method.Name, raw);
            // SignalR words every failure of a method "An unexpected error occurred invoking …"; a deliberate refusal
            // (HubException) carries its reason after it, anything else is the method failing (the hub's 5xx).
            if (answer.Error is { } error && error.StartsWith("An unexpected error occurred", StringComparison.Ordinal) && !error.Contains(" HubException: ", StringComparison.Ordinal))
            {
                Failures.Add($"unexpected hub error: {described}");
            }

            if (answer.Refused)
            {
                HubRefused++;
            }
            else
            {
                HubAccepted++;
            }

            await CheckDatabaseAsync(answer.Refused, described);
        }

        /// <summary>Every field of each well-formed argument in turn replaced by each kind of junk.</summary>
        public async Task HubEveryPlaceAsync(MethodInfo method, Role role)
        {
            var parameters = method.GetParameters();
            for (var i = 0; i < parameters.Length; i++)
            {
                foreach (var junk in _junk.EveryPlace(Valid(parameters[i].ParameterType)))
                {
                    string[] raw = [.. parameters.Select(p => Valid(p.ParameterType).ToJsonString())];
                    raw[i] = junk;
                    await HubInvokeAsync(method, role, raw);
                }
            }
        }

        /// <summary>/healthz answers, and the server still serves the show and the voting state.</summary>
        public async Task AssertUpAsync()
        {
            foreach (var path in new[] { "/healthz", "/api/show", "/api/voting" })
            {
                if ((await _http.GetAsync(path).WaitAsync(Bound)).StatusCode is not HttpStatusCode.OK and var status)
                {
                    Failures.Add($"after {HttpCases} HTTP and {HubCases} hub cases, GET {path} answers {(int)status}");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var hub in _hubs.Values)
            {
                await hub.DisposeAsync();
            }

            _http.Dispose();
        }

        /// <summary>A refused request must leave every table as it was; an accepted one may change them.</summary>
        private async Task CheckDatabaseAsync(bool refused, string described)
        {
            var now = await DatabaseDump.TakeAsync(_server.DatabasePath);
            if (refused && DatabaseDump.Changed(_database, now) is { Count: > 0 } changed)
            {
                Failures.Add($"refused but changed {string.Join(", ", changed)}: {described}");
            }

            _database = now;
        }

        private void Authenticate(HttpRequestMessage request, Role role)
        {
            switch (role)
            {
                case Role.Voter:
                    request.Headers.Add("X-Voter-Token", _voterToken);
                    break;
                case Role.Booth or Role.Coordinator:
                    request.Headers.Add("Cookie", _cookies[role]);
                    break;
                case Role.Player:
                    request.Headers.Add(ShowHubContract.ApiKeyHeader, AmvServer.PlayerApiKey);
                    break;
                case Role.Forged:
                    request.Headers.Add("Cookie", "amv.staff=CfDJ8forged; amv.voter=forged.token.value");
                    request.Headers.Add("X-Voter-Token", _voterToken[..^4] + "AAAA");
                    break;
            }
        }

        private async Task<RawHubClient> HubAsync(Role role)
        {
            if (_hubs.TryGetValue(role, out var open) && open.IsOpen)
            {
                return open;
            }

            if (open is not null)
            {
                await open.DisposeAsync();
            }

            var hub = await RawHubClient.ConnectAsync(_server.HubUrl, o =>
            {
                if (role == Role.Player)
                {
                    o.SetRequestHeader(ShowHubContract.ApiKeyHeader, AmvServer.PlayerApiKey);
                }
                else if (_cookieJars.TryGetValue(role, out var jar))
                {
                    o.Cookies = jar;
                }
            });
            _hubs[role] = hub;
            return hub;
        }

        /// <summary>The operation's path with its values filled in: plausible ones, or odd ones; literal segments
        /// optionally in another case.</summary>
        private string Path(Operation operation, bool odd, bool upperCase)
        {
            var path = operation.Path;
            if (upperCase)
            {
                path = string.Join('/', path.Split('/').Select(s => s.StartsWith('{') ? s : _junk.Random.Next(2) == 0 ? s.ToUpperInvariant() : Mixed(s)));
            }

            foreach (var (name, _, _) in operation.Parameters.Where(p => p.In == "path"))
            {
                var value = odd
                    ? _junk.Pick(["0", "-1", "2147483648", "99999999999999999999", "abc", "1e999", "1.5", "%2e%2e", "%00", "%F0%9F%8E%AC", "%20", "1%2F2", "%E2%80%AE1", "０"])
                    : _junk.Pick(["1", "2", "3", "21", "7"]);
                path = path.Replace("{" + name + "}", value, StringComparison.OrdinalIgnoreCase);
            }

            var query = operation.Parameters.Where(p => p.In == "query").Select(p => $"{p.Name}={_junk.Pick(["true", "false", "yes", "1e999", "", "%00"])}");
            return query.Any() ? $"{path}?{string.Join('&', query)}" : path;
        }

        private string Mixed(string segment) => new([.. segment.Select(c => _junk.Random.Next(2) == 0 ? char.ToUpperInvariant(c) : c)]);

        /// <summary>A well-formed value for a schema of the OpenAPI document, with plausible values by field name.</summary>
        private JsonNode? Valid(JsonElement schema, string name)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                return Valid(_components.GetProperty(reference.GetString()!.Split('/')[^1]), name);
            }

            if (schema.TryGetProperty("enum", out var values))
            {
                return JsonNode.Parse(values.EnumerateArray().First().GetRawText());
            }

            var type = schema.TryGetProperty("type", out var t)
                ? t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).First(x => x != "null") : t.GetString()
                : null;
            switch (type)
            {
                case "object" when schema.TryGetProperty("properties", out var properties):
                    var o = new JsonObject();
                    foreach (var property in properties.EnumerateObject())
                    {
                        o[property.Name] = Valid(property.Value, property.Name);
                    }

                    return o;
                case "object":
                    return new JsonObject { ["5"] = 2 };
                case "array":
                    return new JsonArray(Valid(schema.GetProperty("items"), name));
                case "integer":
                    return name switch
                    {
                        "year" => 2026,
                        "score" or "scoreMin" => 3,
                        "scoreMax" => 5,
                        "sequence" => ++_sequence,
                        "maxFileMegabytes" or "maxDurationSeconds" => 330,
                        "loudnessTargetLufs" => -23,
                        "autoCloseMinutes" => 10,
                        _ => _junk.Random.Next(1, 4),
                    };
                case "boolean":
                    return false;
                case "string":
                    return name switch
                    {
                        "roomCode" => _roomCode,
                        "role" => "booth",
                        "password" => "not-the-password",
                        "scope" => "category:1",
                        "bestInShowMethod" => "ballot",
                        "publicBaseUrl" => "http://127.0.0.1:5000",
                        _ => "Text",
                    };
                default:
                    return name is "editors" or "sources" ? new JsonArray("Name") : new JsonObject();
            }
        }

        /// <summary>A well-formed hub argument of a .NET type, as the server's clients send it.</summary>
        private JsonNode Valid(Type type)
        {
            object value = type == typeof(OnScreenReport)
                ? new OnScreenReport(++_sequence, _junk.Pick(Enum.GetValues<ShowPhase>()), null, null, DateTimeOffset.UtcNow, 30, 0)
                : type == typeof(PlayerCommand)
                    ? new PlayerCommand(Guid.NewGuid(), _junk.Pick([PlayerCommandKind.Pause, PlayerCommandKind.Resume, PlayerCommandKind.BlackoutOff]))
                    : throw new InvalidOperationException($"No well-formed value for a hub argument of type {type}: add one.");
            return JsonSerializer.SerializeToNode(value, type, HubTesting.ShowJsonOptions)!;
        }

        private static string Excerpt(byte[]? body) =>
            body is null ? "(no body)" : body.Length > 160 ? Encoding.UTF8.GetString(body, 0, 160) + $"… ({body.Length} bytes)" : Encoding.UTF8.GetString(body);
    }
}
