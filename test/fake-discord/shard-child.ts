/**
 * A tiny bot run by discord.js's ShardingManager in the fake-discord tests:
 * each child process logs in to the fake Discord (API URL in argv[2]) with the
 * shard ids the manager gives it, and answers every chat-input command with
 * the shard that handled it.
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';

const api = process.argv[2];
if (!api) throw new Error('shard-child: pass the fake API URL as the first argument');

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api } });
client.on(Events.InteractionCreate, (interaction) => {
  if (!interaction.isChatInputCommand()) return;
  void interaction.reply({ content: `shard ${String(interaction.guild?.shardId)} of ${String(client.shard?.count)}` }).catch((error: unknown) => {
    console.error('shard-child: reply failed', error);
  });
});
// The token comes from DISCORD_TOKEN, which the ShardingManager sets.
await client.login();
