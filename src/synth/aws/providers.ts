// The AWS provider for the database's region, plus one aliased provider per copy region
// (provider 5.x has no per-resource region, so a vault in another region needs its own provider).
import { AwsProvider, type AwsProviderConfig } from '@cdktf/provider-aws/lib/provider/index.js';
import { Construct } from 'constructs';
import { underscored } from '../naming.js';
import type { AwsTarget } from './context.js';

/**
 * AWS Chatbot's API is served from a few regions only (there is no us-east-1 endpoint: aws/aws-cli#8658);
 * its configurations are global and subscribe to topics in any region. us-west-2 is one that serves
 * it (aws/aws-cdk#24675 and user reports); this rests on those reports, not on a run here.
 */
export const CHATBOT_REGION = 'us-west-2';

/** What an offline `terraform plan` needs (mirrors OFFLINE_AWS_PROVIDER_ARGS in src/terraform). */
export const OFFLINE_PROVIDER_CONFIG = {
  skipCredentialsValidation: true,
  skipRequestingAccountId: true,
  skipMetadataApiCheck: 'true',
  skipRegionValidation: true,
} as const satisfies Partial<AwsProviderConfig>;

export interface AwsProvidersProps {
  readonly target: AwsTarget;
  /** Regions other than the database's that need a provider (copy vaults). Default: none. */
  readonly extraRegions?: readonly string[];
}

export class AwsProviders extends Construct {
  readonly primary: AwsProvider;
  private readonly byRegion = new Map<string, AwsProvider>();
  private readonly base: AwsProviderConfig;
  private chatbotProvider?: AwsProvider;

  constructor(scope: Construct, id: string, props: AwsProvidersProps) {
    super(scope, id);
    const { target } = props;
    const base: AwsProviderConfig = {
      defaultTags: [{ tags: { ...target.tags } }],
      // allowed_account_ids stops an apply with credentials for the wrong account; it needs the
      // account id from STS, which an offline check skips.
      ...(target.offline ? OFFLINE_PROVIDER_CONFIG : { allowedAccountIds: [target.account.accountId] }),
    };
    this.base = base;
    this.primary = new AwsProvider(this, 'aws', { ...base, region: target.db.region });
    this.byRegion.set(target.db.region, this.primary);
    const extra = [...new Set(props.extraRegions ?? [])].filter((r) => r !== target.db.region).sort();
    for (const region of extra) {
      const alias = `copy_${underscored(region)}`;
      this.byRegion.set(region, new AwsProvider(this, alias, { ...base, region, alias }));
    }
  }

  /** The provider AWS Chatbot is managed through (CHATBOT_REGION), made on first use. */
  chatbot(): AwsProvider {
    const existing = this.byRegion.get(CHATBOT_REGION);
    if (existing) return existing;
    this.chatbotProvider ??= new AwsProvider(this, 'chatbot', { ...this.base, region: CHATBOT_REGION, alias: 'chatbot' });
    return this.chatbotProvider;
  }

  forRegion(region: string): AwsProvider {
    const provider = this.byRegion.get(region);
    if (!provider) throw new Error(`no AWS provider for region ${region}; list it in extraRegions`);
    return provider;
  }
}
