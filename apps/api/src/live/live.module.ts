import { Module } from '@nestjs/common';
import { LiveController } from './live.controller';
import { LiveFeedService } from './live-feed.service';

/** The live feed of story changes (Server-Sent Events). */
@Module({
  controllers: [LiveController],
  providers: [LiveFeedService],
})
export class LiveModule {}
