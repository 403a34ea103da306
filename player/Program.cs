namespace AmvScreening.Player;

/// <summary>Entry point (a named class: the tests reference both the server's and the player's assemblies).</summary>
public static class PlayerProgram
{
    public static int Main(string[] args)
    {
        Console.WriteLine("AmvScreening player: being built.");
        return 0;
    }
}
