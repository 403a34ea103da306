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
}
