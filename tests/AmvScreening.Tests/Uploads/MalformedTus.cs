using System.Text;

namespace AmvScreening.Tests.Uploads;

/// <summary>Generated malformed tus headers: each one is wrong in a way a client (or an attacker) could send, and must be
/// refused naming the header. Seeded, so a failure repeats.</summary>
public static class MalformedTus
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    /// <summary>Values of Upload-Length or Upload-Offset that are not a whole number of bytes given as digits.</summary>
    public static IEnumerable<string> Counts(int seed = 11, int generated = 200)
    {
        string[] handmade =
        [
            "", " ", "-1", "+1", "1.5", "1e3", "0x10", "1,2", "1 2", "１２", "٣", "99999999999999999999", "1234567890123456789",
            "NaN", "Infinity", "null", "true", "\"12\"", "12abc", "abc", "-0", "1_000", "12;", "0b1",
        ];
        foreach (var value in handmade)
        {
            yield return value;
        }

        var random = new Random(seed);
        const string Alphabet = "0123456789-+.,eExX _abc/;";
        for (var i = 0; i < generated; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(1, 24)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]).Trim();
            if (text.Length is > 0 and <= 18 && text.All(char.IsAsciiDigit))
            {
                continue; // valid by chance
            }

            yield return text.Length == 0 ? "x" : text;
        }
    }

    /// <summary>Upload-Metadata values that are wrong, with the key they are wrong about ("" for the header as a whole).</summary>
    public static IEnumerable<string> Metadata(string secret, int seed = 12, int generated = 300)
    {
        var entry = $"entry {B64(secret)}";
        var name = $"filename {B64("clip.mp4")}";
        string[] handmade =
        [
            "", ",", ",,", entry, name, $"{entry},", $",{entry},{name}", $"{entry},,{name}", $"{entry},{name},{name}",
            $"{entry},{entry},{name}", $"{entry},{name},other {B64("x")}", $"{entry},{name},Entry {B64("x")}",
            $"{entry},{name},filetype {B64("video/mp4")},filetype {B64("video/mp4")}", $"entry  {B64(secret)},{name}",
            $"entry,{name}", $"entry ,{name}", $"{entry},filename", $"{entry},filename {B64("")}",
            $"{entry}, {name}", $"entry {B64(secret)[..^1]},{name}", $"entry {B64(secret)}=,{name}",
            $"entry {B64(secret).TrimEnd('=')},{name}", $"{entry},filename {B64("clip.mp4").Replace('=', '.')}",
            $"{entry},filename {B64("<<??>>").Replace('/', '_').Replace('+', '-')}", $"{entry},filename {B64([0xff, 0xfe, 0x41])}",
            $"{entry},filename {B64([0xc3, 0x28])}", $"{entry},filename {B64("a\u0000b")}", $"{entry},filename {B64("a\nb.mp4")}",
            $"{entry},filename {B64("\u007f")}", $"{entry},filename {B64("   ")}", $"{entry},filename {B64(new string('a', 256))}",
            $"entry {B64(new string('s', 129))},{name}", $"{entry},{name},filetype {B64(new string('t', 256))}",
            $"{entry},{name},{new string('k', 3000)}", $"{entry},filename {B64("clip.mp4")} extra", $"{entry},filename\t{B64("clip.mp4")}",
            $"{entry},filename={B64("clip.mp4")}", $"{entry};{name}", $"{entry},fi lename {B64("x")}", $"{entry},{name},ключ {B64("x")}",
            $"{entry},{name},{B64("x")}", $"{entry},filename {B64("clip.mp4")}\u00e9",
        ];
        foreach (var value in handmade)
        {
            yield return value;
        }

        // A valid header with one character replaced by, or preceded by, a character that is neither in a key nor in
        // Base64's alphabet (so never valid by chance), or one character doubled (which breaks a key, a separator or the
        // Base64's length).
        var random = new Random(seed);
        var valid = $"{entry},{name}";
        const string Junk = " ,-_.!~*'();:@&$%^{}[]|\\\"<>?`#é€\t";
        for (var i = 0; i < generated; i++)
        {
            var at = random.Next(valid.Length);
            var c = Junk[random.Next(Junk.Length)];
            var mutated = random.Next(3) switch
            {
                0 => valid[..at] + c + valid[(at + 1)..],
                1 => valid[..at] + c + valid[at..],
                _ => valid[..at] + valid[at] + valid[at..],
            };
            // (A space replaced by a space is no change; spaces around a header's value are not part of it, in HTTP.)
            if (mutated != valid && mutated.Trim() == mutated)
            {
                yield return mutated;
            }
        }
    }
}
