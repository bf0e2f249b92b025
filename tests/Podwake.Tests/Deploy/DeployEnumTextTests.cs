using Podwake.Deploy;
using Xunit;
using static Podwake.Tests.EnumTextTests;

namespace Podwake.Tests.Deploy;

public sealed class DeployEnumTextTests
{
    [Fact]
    public void FileChangeText_RoundTrips() => AssertRoundTrips(FileChangeText.Table, "unchanged", "create", "update", "remove");

    [Fact]
    public void ImageActionText_RoundTrips() => AssertRoundTrips(ImageActionText.Table, "present", "build", "pull");

    [Fact]
    public void ContainerActionText_RoundTrips_AndSaysWhatWasDone()
    {
        AssertRoundTrips(ContainerActionText.Table, "keep", "create", "recreate");
        Assert.Equal(["kept", "created", "recreated"], Enum.GetValues<ContainerAction>().Select(a => a.ToPastText()));
    }
}
