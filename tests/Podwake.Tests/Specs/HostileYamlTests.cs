using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

/// <summary>
/// Files that broke the loader itself (issue 9, item 8): each is now one <c>FILE:LINE:COL</c> error, never a crash,
/// a hang or an exception.
/// </summary>
public sealed class HostileYamlTests : IDisposable
{
    private const string Valid = "name: a\nimage: busybox\nports: [{listen: 18901, container: 80}]\n";

    private readonly SpecFile _spec = new();

    public void Dispose() => _spec.Dispose();

    [Theory]
    [InlineData(100_000)]
    [InlineData(50_000)]
    public void DeeplyNestedLists_AreAnErrorAtTheLevelPastTheLimit(int depth)
    {
        // Before: the test host died of a stack overflow (validate: SIGSEGV-like abort, no message).
        var errors = _spec.Errors($"name: a\ncommand: {new string('[', depth)}\n");

        Assert.Equal([$"{_spec.Path}:2:73: error: invalid YAML: lists and mappings nested more than 64 deep; a service file needs 3"], errors);
    }

    [Fact]
    public void DeeplyNestedMappings_AreAnError()
    {
        var errors = _spec.Errors($"name: a\nenv: {string.Concat(Enumerable.Repeat("{a: ", 10_000))}\n");

        Assert.Equal([$"{_spec.Path}:2:258: error: invalid YAML: lists and mappings nested more than 64 deep; a service file needs 3"], errors);
    }

    [Fact]
    public void SixtyFourLevels_AreStillYaml()
    {
        var errors = _spec.Errors($"{Valid}command: {new string('[', 63)}{new string(']', 63)}\n");

        Assert.Equal([$"{_spec.Path}:4:11: error: command[0]: expected a string, found a list"], errors);
    }

    [Fact]
    public void UnclosedFlowListBeforeAKey_IsAnErrorNotAnException()
    {
        // Before: InvalidOperationException from YamlDotNet's scanner, unhandled, with a stack trace.
        var errors = _spec.Errors("name: a\nimage: busybox\ncommand: [a\nports: [{listen: 18901, container: 80}]\n");

        Assert.Equal([$"{_spec.Path}:4:1: error: invalid YAML: the parser stopped here; look for an unclosed [ {{ or quote before this point"], errors);
    }

    [Fact]
    public async Task Fifo_IsRefusedWithoutWaitingForAWriter()
    {
        // Before: validate blocked in open(2) forever.
        var fifo = Path.Join(_spec.Directory.Path, "pipe.yaml");
        Assert.Equal(0, Units.ToolRunner.Run("mkfifo", [fifo]).ExitCode);

        var errors = await Task.Run(() => SpecFile.ErrorsIn(fifo)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([$"{fifo}: error: is a FIFO, not a regular file; name a service file (*.yaml)"], errors);
    }

    [Fact]
    public void CharacterDevice_IsRefused()
    {
        Assert.Equal(["/dev/zero: error: is a character device, not a regular file; name a service file (*.yaml)"], SpecFile.ErrorsIn("/dev/zero"));
    }

    [Fact]
    public void FileOverOneMebibyte_IsRefusedBeforeParsing()
    {
        // Before: a 50 MB value was accepted (385 MB RSS for validate).
        var errors = _spec.Errors($"{Valid}env: {{A: \"{new string('x', SpecFileReader.MaxBytes)}\"}}\n");

        Assert.Equal([$"{_spec.Path}:1:1: error: the file is {Valid.Length + SpecFileReader.MaxBytes + 13} bytes; a service file may be at most 1 MiB (1048576 bytes): is this the right file?"], errors);
    }

    [Fact]
    public void FileOfExactlyOneMebibyte_Loads()
    {
        var padding = SpecFileReader.MaxBytes - Valid.Length - 2;
        var errors = _spec.Errors($"{Valid}#{new string('x', padding)}\n");

        Assert.Equal(SpecFileReader.MaxBytes, new FileInfo(_spec.Path).Length);
        Assert.Empty(errors);
    }

    [Fact]
    public void InvalidUtf8_IsAnErrorAtItsLineAndColumn()
    {
        // Before: decoded as U+FFFD, the service validated and ran with a mangled value.
        File.WriteAllBytes(_spec.Path, [.. "name: a\nimage: busybox\nenv: {A: \"h\u00e9"u8, 0xFF, .. "y\"}\nports: [{listen: 18901, container: 80}]\n"u8]);

        var errors = SpecFile.ErrorsIn(_spec.Path);

        Assert.Equal([$"{_spec.Path}:3:13: error: invalid UTF-8 here; save the file as UTF-8"], errors);
    }

    [Fact]
    public void ByteOrderMark_IsAccepted()
    {
        File.WriteAllBytes(_spec.Path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(Valid)]);

        SpecFile.LoadOne(_spec.Path);
    }

    [Fact]
    public void TabIndentation_PointsAtTheTab()
    {
        var errors = _spec.Errors("name: a\nimage: busybox\nports:\n\t- {listen: 18901, container: 80}\n");

        Assert.Single(errors);
        Assert.StartsWith($"{_spec.Path}:4:1: error: invalid YAML: ", errors[0], StringComparison.Ordinal);
        Assert.Contains("tab", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void UndefinedAlias_PointsAtTheAlias()
    {
        var errors = _spec.Errors($"{Valid}env: *nope\n");

        Assert.Equal([$"{_spec.Path}:4:6: error: invalid YAML: the alias *nope refers to no anchor; define &nope on a value before this use"], errors);
    }

    [Fact]
    public void ErrorInAnAliasedNode_PointsAtTheAliasUse()
    {
        var errors = _spec.Errors("command: &p [a, {listen: 18901}]\nname: a\nimage: busybox\nports: [*p]\n");

        Assert.Equal(
            [
                $"{_spec.Path}:1:17: error: command[1]: expected a string, found a mapping",
                $"{_spec.Path}:4:9: error: ports[0]: expected a mapping with listen and container like {{listen: 127.0.0.1:8080, container: 8080}}, found a list",
            ],
            errors);
    }

    [Fact]
    public void Aliases_StillWork()
    {
        var service = _spec.Load("name: a\nimage: busybox\nports:\n  - listen: &p 18901\n    container: 80\ncommand: &c [/bin/check, \"a b\"]\nready: {exec: *c}\nenv: {PORT: *p}\n");

        Assert.Equal(["/bin/check", "a b"], service.Ready.Exec);
        Assert.Equal("18901", service.Env["PORT"]);
    }

    [Fact]
    public void AliasInsideItsOwnAnchor_IsAnError()
    {
        var errors = _spec.Errors($"{Valid}command: &c [a, *c]\n");

        Assert.Equal([$"{_spec.Path}:4:17: error: invalid YAML: the alias *c is inside the node &c it refers to; a service file cannot contain itself"], errors);
    }

    [Fact]
    public void AliasBomb_StopsAtTheNodeLimit()
    {
        var yaml = "a0: &a0 [x, x]\n" + string.Concat(Enumerable.Range(1, 40).Select(i => $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n"));

        var errors = _spec.Errors(yaml);

        Assert.Single(errors);
        Assert.Contains("error: invalid YAML: more than 200000 YAML nodes (aliases expanded); a service file needs a few dozen", errors[0], StringComparison.Ordinal);
    }
}
