namespace Podwake.Specs;

/// <summary>"Did you mean" for misspelt keys and values: the closest candidate within a small edit distance.</summary>
internal static class KeySuggestions
{
    /// <summary>The candidate nearest to <paramref name="word"/>, or null when none is plausibly what was meant.</summary>
    public static string? Nearest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = string.Equals(word, candidate, StringComparison.OrdinalIgnoreCase)
                ? 0
                : Levenshtein(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // One edit for short words, two for longer ones: "imge" -> "image" yes, "foo" -> "pod" no.
        var allowed = word.Length <= 4 ? 1 : 2;
        if (bestDistance <= allowed)
        {
            return best;
        }

        // Abbreviations: "prot" -> "protocol", "containerfil" -> "containerfile".
        return word.Length >= 3
            ? candidates.FirstOrDefault(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            : null;
    }

    /// <summary>" did you mean "X"?" or nothing; for splicing into a message.</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates) =>
        Nearest(word, candidates) is { } nearest ? $" did you mean \"{nearest}\"?" : "";

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
