using Podwake.Deploy;
using Podwake.Podman;
using Podwake.Units;
using Xunit;

namespace Podwake.Tests.Deploy;

/// <summary>
/// The update candidate's <c>podman create</c> words: deploy's own, but named <c>podwake-NAME-next</c>, with pidfiles of
/// its own and (rootful) without the service's kept network namespace, so it can run beside the service's container.
/// </summary>
public sealed class CandidateContainerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Words_RenamedOwnPidfilesNoNamespace_ContainerArgumentsUntouched()
    {
        // The container's own arguments repeat option names on purpose: only the options before the image may change.
        var spec = SpecFile.LoadOne(_dir.Write("s.yaml", """
            name: cand
            image: localhost/cand:1
            update: local
            command: [/bin/app, --name, keep, --network, keep2, --pidfile, keep3]
            ports: [{listen: 19300, container: 8080}]
            """));
        var create = UnitGenerator.CreateCommand(spec, new UnitGeneratorOptions { NetworkNamespace = true }, "/run");

        var words = CandidateContainer.Words(spec, create, "/run", "abc123");

        Assert.Equal("podwake-cand-next", words[words.IndexOf("--name") + 1]);
        Assert.Equal("/run/podwake-cand-next/conmon.pid", words[words.IndexOf("--conmon-pidfile") + 1]);
        Assert.Equal("/run/podwake-cand-next/container.pid", words[words.IndexOf("--pidfile") + 1]);
        Assert.DoesNotContain("ns:/run/netns/podwake-cand", words);
        Assert.Contains("ns:/run/netns/podwake-cand", create);
        Assert.Contains($"{UnitGenerator.AutoUpdateLabel}=local", create);
        Assert.DoesNotContain(words, w => w.StartsWith(UnitGenerator.AutoUpdateLabel, StringComparison.Ordinal));
        Assert.Equal(["localhost/cand:1", "/bin/app", "--name", "keep", "--network", "keep2", "--pidfile", "keep3"], words[^8..]);
        var unlabelled = words.Take(2).Concat(words.Skip(4)).ToList();
        Assert.Equal(["--label", $"{SpecHash.Label}={SpecHash.Of(unlabelled, "abc123")}"], words[2..4]);
    }

    [Fact]
    public void Words_Rootless_KeepsPublishedPortsAndServiceLabels()
    {
        var spec = SpecFile.LoadOne(_dir.Write("s.yaml", "name: candr\nimage: localhost/cand:1\nports: [{listen: 19301, container: 8080}]\n"));
        var create = UnitGenerator.CreateCommand(spec, new UnitGeneratorOptions { Rootless = true }, "/run/user/1000");

        var words = CandidateContainer.Words(spec, create, "/run/user/1000", "abc123");

        Assert.Equal("/run/user/1000/podwake-candr-next/conmon.pid", words[words.IndexOf("--conmon-pidfile") + 1]);
        Assert.Contains("127.0.0.1::8080/tcp", words);
        Assert.Contains($"{ContainerLabels.Service}=candr", words);
        Assert.Equal(create.Count + 2, words.Count); // the hash label, nothing else added or lost (no update: here)
    }
}
