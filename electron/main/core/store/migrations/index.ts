import m001 from './001_settings';
import m002 from './002_history';
import m003 from './003_contacts_opt_outs';
import m004 from './004_queue_callbacks';
import m005 from './005_search';
import m006 from './006_client_keys';
import m007 from './007_queue_order';
import m008 from './008_thread_media';
import m009 from './009_search_prefixes';
import m010 from './010_late_messages';
import m011 from './011_search_in_batches';
import m012 from './012_queue_conversation';
import m013 from './013_thread_status_writes';
import m014 from './014_queue_cost';
import m015 from './015_queue_opt_out_exempt';
import m016 from './016_opt_out_keyword_times';
import m017 from './017_superseded_attempts';
import m018 from './018_message_retries';
import m019 from './019_attachment_size';

/** Numbered migrations, in order; user_version N means the first N are applied. A shipped migration is never edited: add a new one. */
export const migrations: readonly string[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013, m014, m015, m016, m017, m018, m019];
