using System.Diagnostics;
using Podwake.Podman;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// The images the tests run, built once per test run into the store of whoever runs the tests (root's or the
/// rootless user's): <c>FROM scratch</c> + Debian's static busybox + a page, and for UDP the same plus
/// <c>/udpecho</c>, a small static echo server compiled here from <c>udpecho.c</c>.
/// </summary>
internal static class TestImages
{
    public const string Busybox = "localhost/podwake-it-busybox:1";

    /// <summary>The page the image serves at <c>/</c> on port 8080.</summary>
    public const string PageText = "podwake integration test page";

    /// <summary>busybox (httpd on 8080 by default) plus <c>/udpecho PORT</c>, which sends every datagram back to its sender.</summary>
    public const string UdpEcho = "localhost/podwake-it-udpecho:1";

    private static readonly Lazy<Task<string>> LazyBusybox = new(() => BuildBusyboxAsync(Busybox));

    /// <summary>
    /// busybox with its applets installed (a shell, httpd, wget...) and <c>/agent.sh PORT WORD</c>: serves WORD on
    /// 127.0.0.1:PORT, says "got HUP" on SIGHUP and exits 0 on SIGTERM. What a side-car runs, and a caller container without podman.
    /// </summary>
    public const string Sidecar = "localhost/podwake-it-sidecar:1";

    private static readonly Lazy<Task<string>> LazySidecar = new(() => BuildSidecarAsync(Sidecar));

    private static readonly Lazy<Task<string>> LazyUdpEcho = new(() => BuildUdpEchoAsync(UdpEcho));

    /// <summary>Builds <see cref="Busybox"/> on first use; returns its tag.</summary>
    public static Task<string> BusyboxAsync() => LazyBusybox.Value;

    /// <summary>Builds a busybox httpd image as <paramref name="tag"/> from a fresh context.</summary>
    public static async Task<string> BuildBusyboxAsync(string tag, CancellationToken cancellationToken = default)
    {
        using var context = new TempDirectory();
        WriteBusyboxContext(context.Path);
        cancellationToken.ThrowIfCancellationRequested();
        await BuildContextAsync(context.Path, tag);
        return tag;
    }

    /// <summary>
    /// Builds a busybox httpd image as <paramref name="tag"/> whose page is <paramref name="page"/> (a version an update
    /// test tells apart); <paramref name="neverReady"/> makes one that runs but never listens (a broken new version).
    /// </summary>
    public static async Task<string> BuildPageAsync(string tag, string page, bool neverReady = false)
    {
        using var context = new TempDirectory();
        WriteBusyboxContext(context.Path);
        File.WriteAllText(Path.Combine(context.Path, "www", "index.html"), page + "\n");
        if (neverReady)
        {
            File.AppendAllText(Path.Combine(context.Path, "Containerfile"), "\nCMD [\"/bin/busybox\", \"sleep\", \"3600\"]\n");
        }

        await BuildContextAsync(context.Path, tag);
        return tag;
    }

    /// <summary>
    /// Builds <paramref name="contextDirectory"/> as <paramref name="tag"/>. podman 4.3's layer cache lookup fails
    /// ("layer not known") when another test removes an image at that moment (test classes run side by side on one
    /// store): the build itself is fine the next time, so it is tried again.
    /// </summary>
    public static async Task BuildContextAsync(string contextDirectory, string tag)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await new ImageBuilder().BuildAsync(contextDirectory, null, null, tag, CancellationToken.None);
                return;
            }
            catch (ImageBuildException ex) when (attempt < 4 && ex.Message.Contains("layer not known", StringComparison.Ordinal))
            {
                await Task.Delay(200 * attempt);
            }
        }
    }

    /// <summary>Builds <see cref="Sidecar"/> on first use; returns its tag.</summary>
    public static Task<string> SidecarAsync() => LazySidecar.Value;

    private static async Task<string> BuildSidecarAsync(string tag)
    {
        using var context = new TempDirectory();
        WriteBusyboxContext(context.Path);
        // The traps run between sleeps: a trapped signal interrupts `wait`, not a foreground child.
        File.WriteAllText(Path.Combine(context.Path, "agent.sh"), """
            #!/bin/sh
            mkdir -p /tmp/www
            echo "$2" > /tmp/www/index.html
            trap 'echo "got HUP"' HUP
            trap 'exit 0' TERM
            echo "agent $1 $2 starting"
            httpd -f -p "127.0.0.1:$1" -h /tmp/www &
            while :; do sleep 1 & wait $!; done

            """);
        File.AppendAllText(Path.Combine(context.Path, "Containerfile"), """

            RUN ["/bin/busybox", "--install", "-s", "/bin"]
            COPY agent.sh /agent.sh
            CMD ["/bin/sh", "/agent.sh", "8080", "hello"]

            """);
        await BuildContextAsync(context.Path, tag);
        return tag;
    }

    /// <summary>Builds <see cref="UdpEcho"/> on first use; returns its tag.</summary>
    public static Task<string> UdpEchoAsync() => LazyUdpEcho.Value;

    private static async Task<string> BuildUdpEchoAsync(string tag)
    {
        using var context = new TempDirectory();
        WriteBusyboxContext(context.Path);
        var source = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "udpecho.c");
        var output = Path.Combine(context.Path, "udpecho");
        var gcc = new ProcessStartInfo("gcc", ["-static", "-O2", "-o", output, source]) { RedirectStandardError = true };
        using (var build = Process.Start(gcc) ?? throw new InvalidOperationException("Failed to start gcc: apt-get install gcc"))
        {
            var errors = await build.StandardError.ReadToEndAsync();
            await build.WaitForExitAsync();
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"Failed to compile {source} (gcc exit {build.ExitCode}): {errors}");
            }
        }

        File.AppendAllText(Path.Combine(context.Path, "Containerfile"), """

            COPY udpecho /udpecho
            CMD ["/udpecho", "5353"]

            """);
        await BuildContextAsync(context.Path, tag);
        return tag;
    }

    public static void WriteBusyboxContext(string directory)
    {
        const string busybox = "/bin/busybox";
        if (!File.Exists(busybox))
        {
            throw new InvalidOperationException("the test image needs a static busybox: apt-get install busybox-static");
        }

        File.Copy(busybox, Path.Combine(directory, "busybox"));
        Directory.CreateDirectory(Path.Combine(directory, "www"));
        File.WriteAllText(Path.Combine(directory, "www", "index.html"), PageText + "\n");
        File.WriteAllText(Path.Combine(directory, "Containerfile"), """
            FROM scratch
            COPY busybox /bin/busybox
            COPY www /www
            EXPOSE 8080
            CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
            """);
    }
}
