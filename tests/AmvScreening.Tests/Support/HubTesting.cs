using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using AmvScreening.Protocol;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;

namespace AmvScreening.Tests.Support;

/// <summary>Helpers for tests that talk to the show hub.</summary>
public static class HubTesting
{
    /// <summary>The bound on every await in hub tests.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>The server's wire format, for reading its JSON in tests.</summary>
    public static readonly JsonSerializerOptions ShowJsonOptions = CreateJson();

    /// <summary>Starts the connection and waits for its answer to GetShow: once the server answers, it has registered
    /// the connection in its group, so a push made after this reaches it.</summary>
    public static async Task<ShowState> StartAndSyncAsync(this HubConnection connection)
    {
        await connection.StartAsync().WaitAsync(Bound);
        return await connection.InvokeAsync<ShowState>(ShowHubMethods.GetShow).WaitAsync(Bound);
    }

    /// <summary>Every call of the client method <paramref name="method"/>, in order of arrival.</summary>
    public static ChannelReader<T> Received<T>(this HubConnection connection, string method)
    {
        var channel = Channel.CreateUnbounded<T>();
        connection.On<T>(method, message => channel.Writer.TryWrite(message));
        return channel.Reader;
    }

    /// <summary>What takes votes, as the connection follows it: each state after a <see cref="ShowHubMethods.VotingChanged"/>
    /// push, the pushed change applied, or the snapshot fetched (GET /api/voting) when a push does not follow the version
    /// held (<see cref="VotingFollower"/>). The follower is returned too (how often it fetched).</summary>
    public static ChannelReader<VotingSnapshot> ReceivedVoting(this HubConnection connection, AmvServer server) =>
        connection.ReceivedVoting(server, out _);

    /// <inheritdoc cref="ReceivedVoting(HubConnection, AmvServer)"/>
    public static ChannelReader<VotingSnapshot> ReceivedVoting(this HubConnection connection, AmvServer server, out VotingFollower follower)
    {
        var channel = Channel.CreateUnbounded<VotingSnapshot>();
        var following = new VotingFollower(async ct =>
        {
            using var client = server.CreateAnonymousClient();
            return (await client.GetFromJsonAsync<VotingSnapshot>("/api/voting", ShowJsonOptions, ct).WaitAsync(Bound, ct))!;
        });
        following.Changed += snapshot => channel.Writer.TryWrite(snapshot);
        connection.On<VotingChange>(ShowHubMethods.VotingChanged, change => following.TakeAsync(change));
        follower = following;
        return channel.Reader;
    }

    /// <summary>The next message that matches <paramref name="match"/> (skipping the others), within the bound (or
    /// <paramref name="bound"/>).</summary>
    public static async Task<T> NextMatchingAsync<T>(this ChannelReader<T> reader, Func<T, bool> match, TimeSpan? bound = null)
    {
        using var timeout = new CancellationTokenSource(bound ?? Bound);
        await foreach (var message in reader.ReadAllAsync(timeout.Token))
        {
            if (match(message))
            {
                return message;
            }
        }

        throw new InvalidOperationException("The connection closed before a matching message arrived.");
    }

    /// <summary>Completes when the connection raises Closed, with its error (null after a clean close).</summary>
    public static Task<Exception?> WhenClosed(this HubConnection connection)
    {
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    /// <summary>The next message received, within the bound.</summary>
    public static Task<T> NextAsync<T>(this ChannelReader<T> reader) => reader.ReadAsync().AsTask().WaitAsync(Bound);

    /// <summary>A player report of <paramref name="phase"/> with no entry.</summary>
    public static OnScreenReport Report(long sequence, ShowPhase phase, int? entryId = null) =>
        new(sequence, phase, entryId, null, DateTimeOffset.UtcNow, 30, 0);

    /// <summary>GET /api/show, anonymously.</summary>
    public static async Task<ShowState> GetShowOverHttpAsync(this AmvServer server)
    {
        using var client = server.CreateAnonymousClient();
        return (await client.GetFromJsonAsync<ShowState>("/api/show", ShowJsonOptions).WaitAsync(Bound))!;
    }

    /// <summary>Inserts a category and one finalist straight into the server's database; returns the entry's id.</summary>
    public static async Task<int> InsertEntryAsync(this AmvServer server, string category, string title)
    {
        const string insert = """
            INSERT INTO categories (position, name) VALUES ((SELECT coalesce(max(position), 0) + 1 FROM categories), @category);
            INSERT INTO entries (category_id, position, title, editors, music_artist, music_title, sources)
            VALUES (last_insert_rowid(), 1, @title, '["Editor One"]', 'Artist', 'Song', '["Some Anime"]')
            RETURNING id;
            """;
        await using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Foreign Keys=True");
        return await connection.ExecuteScalarAsync<int>(insert, new { category, title }).WaitAsync(Bound);
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ShowJson.Configure(options);
        return options;
    }
}
