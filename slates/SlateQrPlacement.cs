using System.Xml.Linq;

namespace AmvScreening.Slates;

/// <summary>
/// Where a template's QR code goes: every element with <c>id="qr"</c> (usually a <c>&lt;rect&gt;</c>) is a box
/// whose <c>x</c>, <c>y</c>, <c>width</c>, <c>height</c>, <c>rx</c> and <c>transform</c> place the QR code of the
/// join URL (drawn by <see cref="SlateQrCode"/>), and is replaced by it. Without a join URL the box goes.
/// </summary>
internal static class SlateQrPlacement
{
    public const string BoxId = "qr";

    /// <summary>Replaces the QR boxes under <paramref name="root"/>; a box without a size is removed and told to
    /// <paramref name="problem"/>.</summary>
    public static void Place(XElement root, string joinUrl, Action<string> problem)
    {
        foreach (var box in root.Descendants().Where(e => (string?)e.Attribute("id") == BoxId).ToList())
        {
            Replace(box, joinUrl, problem);
        }
    }

    private static void Replace(XElement box, string joinUrl, Action<string> problem)
    {
        if (joinUrl.Length == 0)
        {
            box.Remove();
            return;
        }

        var x = SlateTextLayout.Length((string?)box.Attribute("x")) ?? 0;
        var y = SlateTextLayout.Length((string?)box.Attribute("y")) ?? 0;
        var width = SlateTextLayout.Length((string?)box.Attribute("width"));
        var height = SlateTextLayout.Length((string?)box.Attribute("height"));
        if (width is not > 0 || height is not > 0)
        {
            problem($"the element with id=\"{BoxId}\" needs a width and a height; no QR drawn");
            box.Remove();
            return;
        }

        var rx = SlateTextLayout.Length((string?)box.Attribute("rx")) ?? 0;
        var qr = SlateQrCode.Build(SlateTemplate.Svg, joinUrl, x, y, width.Value, height.Value, Math.Min(rx, Math.Min(width.Value, height.Value) / 10));
        if (box.Attribute("transform") is { } transform)
        {
            qr.SetAttributeValue("transform", transform.Value);
        }

        box.ReplaceWith(qr);
    }
}
