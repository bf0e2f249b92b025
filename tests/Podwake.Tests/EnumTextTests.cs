using Xunit;

namespace Podwake.Tests;

public sealed class EnumTextTests
{
    private enum Colour
    {
        Red,
        Green,
    }

    /// <summary>Each value to its word and back, every word pinned (they are output: a changed word is a changed output), nothing else parsed.</summary>
    internal static void AssertRoundTrips<TEnum>(EnumText<TEnum> table, params string[] words)
        where TEnum : struct, Enum
    {
        Assert.Equal(words, table.Texts);
        Assert.Equal(words, Enum.GetValues<TEnum>().Select(table.ToText));
        foreach (var value in Enum.GetValues<TEnum>())
        {
            Assert.True(table.TryParse(table.ToText(value), out var parsed));
            Assert.Equal(value, parsed);
        }

        Assert.False(table.TryParse(null, out _));
        Assert.False(table.TryParse("", out _));
        Assert.False(table.TryParse(words[0].ToUpperInvariant() + "x", out _));
    }

    [Fact]
    public void Table_RoundTrips_AndOffersItsChoices()
    {
        var table = new EnumText<Colour>((Colour.Red, "red"), (Colour.Green, "green"));

        AssertRoundTrips(table, "red", "green");
        Assert.Equal("red or green", table.Choices);
        Assert.False(table.TryParse("Red", out _));
    }

    [Fact]
    public void Table_MissingValueOrSharedWord_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new EnumText<Colour>((Colour.Red, "red")));
        Assert.Throws<ArgumentException>(() => new EnumText<Colour>((Colour.Red, "red"), (Colour.Green, "red")));
        Assert.Throws<ArgumentException>(() => new EnumText<Colour>((Colour.Red, "red"), (Colour.Red, "green")));
    }
}
