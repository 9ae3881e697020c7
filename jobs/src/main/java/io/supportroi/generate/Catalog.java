package io.supportroi.generate;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Stream;

/** What the shop sells: the monthly box and a few add-ons, with prices and cost of goods (products.csv). */
final class Catalog {
    private Catalog() {}

    /** One sellable variant. Prices and costs in cents. */
    record Product(String sku, String title, long priceCents, long unitCostCents, long productId, long variantId)
            implements Serializable {}

    static final Product BOX = new Product("BOX-MONTHLY", "Monthly Discovery Box", 3900, 1650,
            8_100_000_000_001L, 45_100_000_000_001L);

    static final List<Product> ADD_ONS = List.of(
            new Product("COFFEE-BEANS-340G", "Single-Origin Coffee Beans 340 g", 1600, 590,
                    8_100_000_000_002L, 45_100_000_000_002L),
            new Product("TEA-SAMPLER", "Loose Leaf Tea Sampler", 1400, 480,
                    8_100_000_000_003L, 45_100_000_000_003L),
            new Product("CERAMIC-MUG", "Stoneware Mug", 2200, 710,
                    8_100_000_000_004L, 45_100_000_000_004L),
            new Product("SNACK-PACK", "Artisan Snack Pack", 1200, 430,
                    8_100_000_000_005L, 45_100_000_000_005L),
            new Product("SOY-CANDLE", "Hand-Poured Soy Candle", 1800, 520,
                    8_100_000_000_006L, 45_100_000_000_006L));

    static List<Product> all() {
        return Stream.concat(Stream.of(BOX), ADD_ONS.stream()).toList();
    }

    /** Price of the subscription in Stripe: the same box, billed monthly. */
    static final String STRIPE_PRICE = "price_box_monthly";
    static final String STRIPE_PRODUCT = "prod_box_monthly";
}
