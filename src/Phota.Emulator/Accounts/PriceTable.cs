namespace Phota.Emulator.Accounts;

/// <summary>
/// Prices from the release notes: profiles $2.90 (standard) and $1.49 (fast); enhance and remix
/// $0.12 per output image, $0.15 when a profile is recognised. The documents give no edit/generate
/// rates per base model, so those use a configurable default (the same 0.12/0.15).
/// </summary>
internal sealed class PriceTable(EmulatorOptions options)
{
    public decimal Studio(string operation, string? baseModel, int outputImages, bool withIdentity)
    {
        decimal perImage;
        switch (operation)
        {
            case "enhance":
                perImage = withIdentity ? options.PriceEnhanceIdentity : options.PriceEnhance;
                break;
            case "remix":
                perImage = withIdentity ? options.PriceRemixIdentity : options.PriceRemix;
                break;
            default:
                if (baseModel is not null && options.ModelPrices.TryGetValue(baseModel, out var model))
                    perImage = withIdentity ? model.PerImageWithIdentity : model.PerImage;
                else
                    perImage = withIdentity ? options.PriceIdentityDefault : options.PriceDefault;
                break;
        }

        return perImage * outputImages;
    }

    public decimal Profile(string tier) => tier == "fast" ? options.PriceProfileFast : options.PriceProfileStandard;
}
