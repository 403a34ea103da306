using System.Globalization;
using System.Text;
using System.Xml.Linq;
using QRCoder;
using static AmvScreening.Slates.SlateTemplate;

namespace AmvScreening.Slates;

/// <summary>Draws a QR code as SVG: a white card (the quiet zone) and one path of black modules, scaled into a box.</summary>
internal static class SlateQrCode
{
    /// <summary>Modules of quiet zone around the code (the QR standard's minimum is 4).</summary>
    public const int QuietZone = 4;

    /// <summary>A <c>&lt;g&gt;</c> holding the QR of <paramref name="text"/> filling the square centred in the box
    /// (x, y, width, height); the white card covers the whole box, with corner radius <paramref name="rx"/>.</summary>
    public static XElement Build(XNamespace svg, string text, double x, double y, double width, double height, double rx)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        // ModuleMatrix holds the code with QRCoder's own 4-module quiet zone around it; drop it and add ours.
        var matrix = data.ModuleMatrix;
        var border = (matrix.Count - CoreSize(data.Version)) / 2;
        var core = matrix.Count - 2 * border;
        var total = core + 2 * QuietZone;
        var side = Math.Min(width, height);
        var module = side / total;
        var left = x + (width - side) / 2 + QuietZone * module;
        var top = y + (height - side) / 2 + QuietZone * module;

        var path = new StringBuilder();
        for (var row = 0; row < core; row++)
        {
            var bits = matrix[row + border];
            var col = 0;
            while (col < core)
            {
                if (!bits[col + border])
                {
                    col++;
                    continue;
                }

                var start = col;
                while (col < core && bits[col + border])
                {
                    col++;
                }

                path.Append(CultureInfo.InvariantCulture, $"M{start},{row}h{col - start}v1h{start - col}z");
            }
        }

        return new XElement(svg + "g",
            new XAttribute("id", "qr"),
            new XElement(svg + "rect",
                new XAttribute("x", Number(x)), new XAttribute("y", Number(y)),
                new XAttribute("width", Number(width)), new XAttribute("height", Number(height)),
                new XAttribute("rx", Number(rx)), new XAttribute("fill", "#ffffff")),
            new XElement(svg + "path",
                new XAttribute("transform", $"translate({Number(left)} {Number(top)}) scale({Number(module)})"),
                new XAttribute("fill", "#000000"),
                new XAttribute("shape-rendering", "crispEdges"),
                new XAttribute("d", path.ToString())));
    }

    private static int CoreSize(int version) => 21 + 4 * (version - 1);
}
