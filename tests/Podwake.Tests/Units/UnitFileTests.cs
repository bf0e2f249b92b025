using Podwake.Units;
using Xunit;

namespace Podwake.Tests.Units;

public sealed class UnitFileTests
{
    private const string HandWritten =
        "# A hand-written unit\n"
        + "; with both comment styles\n"
        + "\n"
        + "[Unit]\n"
        + "Description = web server  \n"
        + "After=network.target\n"
        + "After=podwake-hello.socket\n"
        + "\n"
        + "[Service]\n"
        + "  # indented comment\n"
        + "ExecStart=/usr/bin/podman run \\\n"
        + "\t--rm \\\n"
        + "# a comment inside a continuation\n"
        + "\timage\n"
        + "Environment=\"A=b c\" D=e\n"
        + "[Install]\n"
        + "WantedBy=default.target";

    [Theory]
    [InlineData(HandWritten)]
    [InlineData(HandWritten + "\n")]
    [InlineData(HandWritten + "\n\n\n")]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("[Unit]\r\nDescription=crlf\r\n")]
    public void ParseThenToString_GivesTheSameBytes(string text) =>
        Assert.Equal(text, UnitFile.Parse(text).ToString());

    [Fact]
    public void Parse_HandWritten_ReadsValuesAsSystemdDoes()
    {
        var unit = UnitFile.Parse(HandWritten);

        Assert.Equal("web server", unit.Get(UnitSections.Unit, UnitKeys.Description));
        Assert.Equal(["network.target", "podwake-hello.socket"], unit.GetAll(UnitSections.Unit, UnitKeys.After));
        Assert.Equal("podwake-hello.socket", unit.Get(UnitSections.Unit, UnitKeys.After));
        Assert.Equal("/usr/bin/podman run  --rm  image", unit.Get(UnitSections.Service, UnitKeys.ExecStart));
        Assert.Equal("\"A=b c\" D=e", unit.Get(UnitSections.Service, UnitKeys.Environment));
        Assert.Null(unit.Get(UnitSections.Service, UnitKeys.Restart));
    }

    [Fact]
    public void Generated_RoundTrips()
    {
        var unit = new UnitFile();
        unit.AddPreambleComment("header");
        unit.Add(UnitSections.Unit, UnitKeys.Description, "d");
        unit.AddComment(UnitSections.Service, "why");
        unit.Add(UnitSections.Service, UnitKeys.ExecStart, SystemdQuoting.ExecLine(["/bin/echo", "a b\n$c"]));
        unit.Add(UnitSections.Unit, UnitKeys.After, "x");

        var text = unit.ToString();

        Assert.Equal("# header\n\n[Unit]\nDescription=d\nAfter=x\n\n[Service]\n# why\nExecStart=/bin/echo \"a b\\n$$c\"\n", text);
        Assert.Equal(text, UnitFile.Parse(text).ToString());
    }

    [Fact]
    public void Set_ReplacesFirstAndRemovesTheRest()
    {
        var unit = UnitFile.Parse("[Unit]\nAfter=a\nWants=w\nAfter=b\n");

        unit.Set(UnitSections.Unit, UnitKeys.After, "c");
        unit.Set(UnitSections.Unit, UnitKeys.Description, "new");

        Assert.Equal("[Unit]\nAfter=c\nWants=w\nDescription=new\n", unit.ToString());
    }

    [Theory]
    [InlineData("two\nlines")]
    [InlineData("ends in backslash\\")]
    public void Add_ValueThatWouldBreakTheLine_Throws(string value) =>
        Assert.Throws<ArgumentException>(() => new UnitFile().Add(UnitSections.Service, UnitKeys.ExecStart, value));

    [Theory]
    [InlineData("Key=outside\n")]
    [InlineData("[Unit]\nno equals sign\n")]
    [InlineData("[Unit\n")]
    public void Parse_Broken_ThrowsNamingTheLine(string text) =>
        Assert.Contains("line ", Assert.Throws<FormatException>(() => UnitFile.Parse(text)).Message, StringComparison.Ordinal);
}
