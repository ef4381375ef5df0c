import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ReadsController } from './reads.controller';

/** Dashboard reads from the views (and, for auditors, a story folded as of a time). */
@Module({
  imports: [AuditModule],
  controllers: [ReadsController],
})
export class ReadsModule {}
