namespace AmvScreening.Audience;

public static class Program
{
    public static Task<int> Main(string[] args) => AudienceCommandLine.Create().Parse(args).InvokeAsync();
}
