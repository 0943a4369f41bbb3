// The demo store's products: what its orders hold, and what follows the sale for each.

export const CATALOGUE: Record<string, { title: string; variant: string; unitAmount: number; category: string }> = {
  'TENT-2P-GRN': { title: 'Ridgeline two-person tent', variant: 'Forest green', unitAmount: 24900, category: 'camping' },
  'BAG-20F-REG': { title: 'Ember 20°F sleeping bag', variant: 'Regular', unitAmount: 15900, category: 'camping' },
  'LAMP-400': { title: 'Trailblaze 400 headlamp', variant: 'Black', unitAmount: 3900, category: 'lighting' },
  'MUG-TI-450': { title: 'Titanium camp mug', variant: '450 ml', unitAmount: 2900, category: 'kitchen' },
  'JKT-RAIN-M': { title: 'Cascade rain jacket', variant: 'Slate, M', unitAmount: 18900, category: 'apparel' },
  'BOOT-HK-42': { title: 'Switchback hiking boots', variant: 'EU 42', unitAmount: 16900, category: 'footwear' },
  'SOCK-MW-3': { title: 'Merino hiking socks, 3 pairs', variant: 'L', unitAmount: 3600, category: 'apparel' },
};

/** What follows the sale for the demo's products (the headlamp is sold out: never suggested). */
export const AFTER_SALE: Record<string, Record<string, unknown>> = {
  'TENT-2P-GRN': {
    careGuide: {
      title: 'Pitch it dry, store it dry',
      body: 'Let the fly sheet dry fully before you pack it away, and wipe the poles clean: a tent stored damp mildews within days.',
      url: 'https://northwind.example/care/ridgeline',
    },
    warrantyMonths: 24,
    related: ['BAG-20F-REG', 'LAMP-400', 'MUG-TI-450'],
  },
  'BOOT-HK-42': {
    careGuide: {
      title: 'Breaking in your boots',
      body: 'Wear them around the house for a few evenings before a long hike, and let wet boots dry slowly, away from a heater.',
      url: 'https://northwind.example/care/switchback',
    },
    warrantyMonths: 12,
    related: ['SOCK-MW-3', 'JKT-RAIN-M'],
  },
  'BAG-20F-REG': { warrantyMonths: 24, related: ['TENT-2P-GRN', 'MUG-TI-450'] },
  'SOCK-MW-3': { replenishAfterDays: 180, related: ['BOOT-HK-42'] },
  'JKT-RAIN-M': { related: ['BOOT-HK-42', 'SOCK-MW-3'] },
  'MUG-TI-450': { related: ['BAG-20F-REG'] },
};
