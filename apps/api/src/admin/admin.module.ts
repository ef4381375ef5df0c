import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';

/** Operators' and auditors' view of the projections. */
@Module({ controllers: [AdminController] })
export class AdminModule {}
