using System.Globalization;
using Phota.Studio;

namespace Phota.PowerShell.Infrastructure;

/// <summary>What -WhatIf and -Confirm say about a paid call: what would be sent and, where published, its price.</summary>
internal static class WhatIfText
{
    private const int MaxShown = 80;

    /// <summary>The target line: the inputs (or the prompt for generate).</summary>
    public static string Target(StudioRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inputs = request.InputImages;
        if (inputs.Count == 0)
        {
            return Quote(request.PromptText);
        }
        return inputs.Count == 1 ? inputs[0].Description : $"{inputs.Count} images: {string.Join(", ", inputs.Select(i => i.Description))}";
    }

    /// <summary>The action line: operation, options that change the price, and the estimate.</summary>
    public static string Action(StudioRequest request, bool synchronous)
    {
        ArgumentNullException.ThrowIfNull(request);
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>
        {
            string.Format(c, "{0} output image{1}", request.NumOutputImages, request.NumOutputImages == 1 ? string.Empty : "s"),
            request.OutputFormat.Value,
            synchronous ? "synchronous" : "async job",
        };
        if (request.Operation.Value != "generate" && request.PromptText is { Length: > 0 } prompt)
        {
            parts.Insert(0, "prompt " + Quote(prompt));
        }
        var estimate = PriceList.Estimate(request) is { } price
            ? string.Format(c, "estimated cost up to US${0:0.00}", price)
            : UnpublishedPrice(request);
        return $"Phota {request.Operation.Value} ({string.Join(", ", parts)}): {estimate}";
    }

    /// <summary>Edit and generate have no published price: say what it depends on, with this request's values.</summary>
    private static string UnpublishedPrice(StudioRequest request)
    {
        var (model, resolution, quality) = request switch
        {
            EditRequest e => (e.BaseModel, e.Resolution, e.Quality),
            GenerateRequest g => (g.BaseModel, g.Resolution, g.Quality),
            _ => (null, null, null),
        };
        var factors = new List<string>
        {
            "base model " + (model ?? Models.BaseModel.Nb2).Value + (model is null ? " (the default)" : string.Empty),
            "resolution " + (resolution ?? Models.Resolution.OneK).Value + (resolution is null ? " (the default)" : string.Empty),
        };
        if (quality is { } q)
        {
            factors.Add("quality " + q.Value);
        }
        factors.Add(string.Format(CultureInfo.InvariantCulture, "{0} output image{1}", request.NumOutputImages, request.NumOutputImages == 1 ? string.Empty : "s"));
        return "price not published in the API documents; it depends on " + string.Join(", ", factors) + " (see the Phota pricing page)";
    }

    /// <summary>The action line for training a profile.</summary>
    public static string ProfileAction(int imageCount, Models.TrainingTier tier, string? tag)
        => string.Format(CultureInfo.InvariantCulture, "Train a Phota profile from {0} image URL{1} ({2} tier{3}): cost US${4:0.00}",
            imageCount, imageCount == 1 ? string.Empty : "s", tier.Value, tag is null ? string.Empty : ", tag " + Quote(tag), PriceList.ProfileTraining(tier));

    private static string Quote(string? text)
    {
        var t = (text ?? string.Empty).ReplaceLineEndings(" ");
        return "'" + (t.Length > MaxShown ? t[..(MaxShown - 3)] + "..." : t) + "'";
    }
}
