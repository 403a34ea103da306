using AmvScreening.Server.Contest.Import;

namespace AmvScreening.Tests.Contest;

/// <summary>The CSV reader and writer on their own, without a server.</summary>
[Trait("Kind", "Unit")]
public sealed class ContestCsvTests
{
    private const string Header = "category,order,title,editors,music_artist,music_title,sources,file,content_note";

    [Fact]
    public void QuotedCommasAndQuotes_StayInsideTheirField()
    {
        var row = ReadOne($"{Header}\nTrailers,1,\"Madoka, Again \"\"(Again)\"\"\",Homura,Kalafina,\"Magia, Op. 1\",Madoka,a.mp4,\n");

        Assert.Equal("Madoka, Again \"(Again)\"", row.Value.Title);
        Assert.Equal("Magia, Op. 1", row.Value.MusicTitle);
    }

    [Fact]
    public void PipesSeparateEditorsAndSources_AndSemicolonsAreKept()
    {
        var row = ReadOne($"{Header}\nTrailers,1,T,Zoë Kapoor | 田中 蓮|  Kettle Kat ,A,M,Steins;Gate | 鬼滅の刃 | ,a.mp4,\n");

        Assert.Equal(["Zoë Kapoor", "田中 蓮", "Kettle Kat"], row.Value.Editors);
        Assert.Equal(["Steins;Gate", "鬼滅の刃"], row.Value.Sources);
    }

    [Fact]
    public void AByteOrderMark_IsIgnored()
    {
        var row = ReadOne($"\uFEFF{Header}\nTrailers,1,T,E,A,M,S,a.mp4,\n");

        Assert.Equal("Trailers", row.Value.Category);
    }

    [Fact]
    public void CrlfLineEndings_QuotedLineBreaksAndBlankLines_KeepRowsNumberedByLine()
    {
        var issues = new ImportIssues();
        var file = ContestCsv.Read(
            $"{Header}\r\nTrailers,1,\"Two\r\nlines\",E,A,M,S,a.mp4,\r\n\r\nTrailers,2,,E,A,M,S,b.mp4,\r\n", issues);

        Assert.NotNull(file);
        Assert.Empty(issues.Errors);
        Assert.Equal(["row 2", "row 5"], file.Finalists.Select(f => f.Where));
        Assert.Equal("Two\r\nlines", file.Finalists[0].Value.Title);
        Assert.Equal("row 5: music_artist", file.Finalists[1].Field("musicArtist"));
        Assert.Equal("", file.Finalists[1].Value.Title);
    }

    [Fact]
    public void ContentNoteColumn_MayBeLeftOut_AndCellsAreTrimmed()
    {
        var row = ReadOne("category,order,title,editors,music_artist,music_title,sources,file\n  Trailers , 3 ,  T ,E,A,M,,\n");

        Assert.Equal(("Trailers", 3, "T"), (row.Value.Category, row.Value.Order, row.Value.Title));
        Assert.Null(row.Value.ContentNote);
        Assert.Null(row.Value.File);
        Assert.Empty(row.Value.Sources);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("")]
    public void AnOrderThatIsNotAWholeNumber_ReadsAsNone(string order)
    {
        Assert.Null(ReadOne($"{Header}\nTrailers,{order},T,E,A,M,S,a.mp4,\n").Value.Order);
    }

    [Fact]
    public void AWrongHeader_NamesTheMissingAndUnknownColumns()
    {
        var issues = new ImportIssues();

        var file = ContestCsv.Read("category,order,title,editor,musician,music_title,sources,file\nTrailers,1,T,E,A,M,S,a.mp4\n", issues);

        Assert.Null(file);
        Assert.Equal(["row 1: editor", "row 1: musician", "row 1: editors", "row 1: music_artist"], issues.Errors.Select(e => e.Field));
        Assert.StartsWith("Missing column 'editors'.", issues.Errors[2].Message);
    }

    [Fact]
    public void AStrayQuote_OrAShortRow_IsReportedWithItsLine()
    {
        var issues = new ImportIssues();

        var file = ContestCsv.Read($"{Header}\nTrailers,1,The \"Best\" One,E,A,M,S,a.mp4,\nTrailers,2,T,E\nTrailers,3,T,E,A,M,S,c.mp4,\n", issues);

        Assert.Equal(["row 2", "row 3"], issues.Errors.Select(e => e.Field));
        Assert.Contains("line 2", issues.Errors[0].Message);
        Assert.Equal(["row 4"], file!.Finalists.Select(f => f.Where));
    }

    [Fact]
    public void AnEmptyFile_AsksForTheHeader()
    {
        var issues = new ImportIssues();

        Assert.Null(ContestCsv.Read("", issues));
        Assert.Contains(Header, issues.Errors.Single().Message);
    }

    [Fact]
    public void Write_ThenRead_GivesTheSameFinalists()
    {
        FinalistRecord[] finalists =
        [
            new("Upbeat/Fun", 1, "Snack Time, Party Time 🍙", ["MochiMochi", "Deku Bean"], "Carly \"CRJ\" Jepsen", "Run Away", ["Steins;Gate", "鬼滅の刃"], "upbeat-fun/01.mp4", "flashing lights, blood"),
            new("Intensity", 2, " line\nbreak ", ["A"], "B", "C", [], null, null),
        ];

        var text = System.Text.Encoding.UTF8.GetString(ContestCsv.Write(finalists));
        var issues = new ImportIssues();
        var file = ContestCsv.Read(text, issues);

        Assert.StartsWith($"\uFEFF{Header}\r\n", text);
        Assert.Empty(issues.Errors);
        string[] none = [];
        Assert.Equal(finalists[0] with { Editors = none, Sources = none }, file!.Finalists[0].Value with { Editors = none, Sources = none });
        Assert.Equal(finalists[0].Editors, file.Finalists[0].Value.Editors);
        Assert.Equal(finalists[0].Sources, file.Finalists[0].Value.Sources);
        Assert.Equal("line\nbreak", file.Finalists[1].Value.Title);
    }

    private static FileRow<FinalistRecord> ReadOne(string text)
    {
        var issues = new ImportIssues();
        var file = ContestCsv.Read(text, issues);
        Assert.Empty(issues.Errors);
        return Assert.Single(file!.Finalists);
    }
}
