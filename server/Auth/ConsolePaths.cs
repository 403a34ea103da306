namespace AmvScreening.Server.Auth;

/// <summary>Where the staff console lives. Its pages redirect to sign-in; everything else (/api, /hubs) answers 401/403.</summary>
public static class ConsolePaths
{
    public const string Root = "/console";
    public const string SignIn = "/console/sign-in";
    public const string Denied = "/console/denied";
    public const string ReturnUrlParameter = "returnUrl";

    /// <summary>A console page (HTML), as opposed to an API call, the hub or a static asset.</summary>
    public static bool IsPage(PathString path) =>
        path.StartsWithSegments(Root, StringComparison.OrdinalIgnoreCase)
        && !path.StartsWithSegments(Root + "/assets", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where to go after signing in: <paramref name="returnUrl"/> when it is a well-formed console page of this
    /// server (printable ASCII, percent-encoded, no dot segments, not another host, not the sign-in page itself); the console's home
    /// otherwise, which sends each role to its start page.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 and <= 2048 } url
        && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal)
        && url.All(c => c is > ' ' and < '\u007f' and not '\\')
        && Uri.IsWellFormedUriString(url, UriKind.Relative)
        && PathOf(url) is var path && IsPage(path) && path.StartsWithSegments(Root, StringComparison.Ordinal)
        && !path.Value!.Contains("/.", StringComparison.Ordinal)
        && !path.StartsWithSegments(SignIn, StringComparison.OrdinalIgnoreCase)
            ? url
            : Root;

    private static PathString PathOf(string url)
    {
        var end = url.IndexOfAny(['?', '#']);
        return new PathString(end < 0 ? url : url[..end]);
    }
}
