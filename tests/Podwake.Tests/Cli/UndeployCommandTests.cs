using System.CommandLine;
using Podwake.Cli;
using Xunit;

namespace Podwake.Tests.Cli;

public sealed class UndeployCommandTests
{
    [Theory]
    [InlineData("web\n")]
    [InlineData("Web")]
    [InlineData("-web")]
    [InlineData("../web")]
    public void NameThatIsNoServiceName_ExitsOneBeforeLookingAtTheHost(string name)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };

        var exitCode = PodwakeCommand.Create().Parse(["undeploy", name]).Invoke(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(ExitCodes.UserError, exitCode);
        Assert.Contains("is not a service name", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }
}
